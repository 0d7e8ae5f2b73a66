namespace Whetstone.Api;

/// <summary>
/// The PascalCase <c>reason</c> values Whetstone writes on conditions and events. One enumerable set, so tooling
/// (health checks, alerts, dashboards) can match on them.
/// </summary>
public static class ConditionReasons
{
    /// <summary>The object was accepted and waits for its first reconcile or a worker pod to start.</summary>
    public const string Pending = "Pending";

    /// <summary>Waiting for GPU capacity (Kueue or the scheduler) or a referenced job to succeed.</summary>
    public const string Queued = "Queued";

    /// <summary>A worker pod runs the job.</summary>
    public const string Running = "Running";

    /// <summary>The job finished and its artifacts were written.</summary>
    public const string Succeeded = "Succeeded";

    /// <summary>The job was suspended through <c>runPolicy.suspend</c>.</summary>
    public const string Suspended = "Suspended";

    /// <summary>The training loss rose above <c>divergence.maxLossIncrease</c> times its best, or became NaN/Inf.</summary>
    public const string Diverged = "Diverged";

    /// <summary>Training stopped early because validation loss stopped improving (the job still succeeds).</summary>
    public const string EarlyStopped = "EarlyStopped";

    /// <summary>The dataset could not be read or parsed, or nothing was left after cleaning.</summary>
    public const string DatasetInvalid = "DatasetInvalid";

    /// <summary>The model could not be read (missing files, unknown architecture, unsupported format).</summary>
    public const string ModelInvalid = "ModelInvalid";

    /// <summary>The worker ran out of GPU or host memory (OOMKilled or a CUDA out-of-memory error).</summary>
    public const string OutOfMemory = "OutOfMemory";

    /// <summary>No node can ever run the worker pod (resources, node selector, tolerations).</summary>
    public const string Unschedulable = "Unschedulable";

    /// <summary>The worker failed more than <c>runPolicy.backoffLimit</c> times.</summary>
    public const string BackoffLimitExceeded = "BackoffLimitExceeded";

    /// <summary>The job ran longer than <c>runPolicy.activeDeadlineSeconds</c>.</summary>
    public const string DeadlineExceeded = "DeadlineExceeded";

    /// <summary>A referenced FineTuneJob, CompressionJob or EvaluationRun does not exist.</summary>
    public const string ReferenceNotFound = "ReferenceNotFound";

    /// <summary>A referenced job exists but has not succeeded yet.</summary>
    public const string ReferenceNotReady = "ReferenceNotReady";

    /// <summary>
    /// A model or dataset this job reads is the output of a referenced job (a <c>fineTuneJobRef</c> or
    /// <c>compressionJobRef</c>) that has not succeeded yet; the job waits Queued.
    /// </summary>
    public const string WaitingForSource = "WaitingForSource";

    /// <summary>A referenced job failed, so this object can never start.</summary>
    public const string ReferenceFailed = "ReferenceFailed";

    /// <summary>A model or dataset does not match the <c>digest</c> pinned in the spec.</summary>
    public const string DigestMismatch = "DigestMismatch";

    /// <summary>
    /// A base model or dataset named by URI is not in the artifact store (no <c>manifest.json</c> / <c>config.json</c>
    /// for a model, no object for a dataset); the message names the field, for example
    /// <c>spec.baseModel.uri: no model at s3://…</c>. Found before any worker starts; the job fails.
    /// </summary>
    public const string SourceNotFound = "SourceNotFound";

    /// <summary>
    /// The artifact store refused to read a base model or dataset (credentials or permissions); the message names the
    /// field. The job fails: recreate it once the access is granted.
    /// </summary>
    public const string SourceNotReadable = "SourceNotReadable";

    /// <summary>
    /// Nothing can be written under <c>spec.output.uri</c> (access denied, a missing bucket, a read-only directory, or
    /// no output set); found by writing and deleting a probe object before any worker starts. The job fails.
    /// </summary>
    public const string OutputNotWritable = "OutputNotWritable";

    /// <summary>
    /// The artifact store cannot be reached or is not configured (its Secret is missing or incomplete), so the inputs
    /// could not be checked yet. The job stays Pending and the check is retried with back-off; never a failure.
    /// </summary>
    public const string ArtifactStoreUnavailable = "ArtifactStoreUnavailable";

    /// <summary>The spec changed while a worker ran; the run continues with the spec it started with.</summary>
    public const string SpecChangedDuringRun = "SpecChangedDuringRun";

    /// <summary>The artifact store could not be read or written.</summary>
    public const string ArtifactStoreError = "ArtifactStoreError";

    /// <summary>
    /// A write failed because its file system is full or over quota, or the file is over the process's size limit
    /// (ENOSPC, EDQUOT, EFBIG): the artifact store (<c>file://</c>) or the worker's scratch directory. The message names
    /// the path or store URI and the bytes the write needed. Nothing half-written is visible; the attempt is retried
    /// within <c>runPolicy.backoffLimit</c>, and each attempt first removes what interrupted writes of this job left.
    /// </summary>
    public const string StorageFull = "StorageFull";

    /// <summary>The worker exited with an error not covered by a more specific reason.</summary>
    public const string WorkerFailed = "WorkerFailed";

    /// <summary>The worker pod disappeared (deleted or its node lost) before it finished.</summary>
    public const string WorkerLost = "WorkerLost";

    /// <summary>CompressionJob: the compressed model drifted beyond <c>alignment</c> thresholds.</summary>
    public const string AlignmentFailed = "AlignmentFailed";

    /// <summary>EvaluationRun: every gate passed.</summary>
    public const string GatesPassed = "GatesPassed";

    /// <summary>EvaluationRun: at least one gate failed.</summary>
    public const string GatesFailed = "GatesFailed";

    /// <summary>EvaluationRun: the test data overlaps the training data more than <c>contamination.maxOverlap</c>.</summary>
    public const string Contaminated = "Contaminated";

    /// <summary>ModelRollout: the referenced EvaluationRun's verdict is not Passed.</summary>
    public const string EvaluationNotPassed = "EvaluationNotPassed";

    /// <summary>ModelRollout: moving to the next step.</summary>
    public const string StepAdvanced = "StepAdvanced";

    /// <summary>ModelRollout: waiting at a pause step (timed, or until promoted by hand).</summary>
    public const string Paused = "Paused";

    /// <summary>ModelRollout: every step completed and the canary became stable.</summary>
    public const string Promoted = "Promoted";

    /// <summary>ModelRollout: promoted by hand through the <c>whetstone.dev/promote</c> annotation.</summary>
    public const string ManuallyPromoted = "ManuallyPromoted";

    /// <summary>ModelRollout: an analysis metric failed more than <c>failureLimit</c> times.</summary>
    public const string AnalysisFailed = "AnalysisFailed";

    /// <summary>ModelRollout: the metric query could not be evaluated (Prometheus unreachable, no data).</summary>
    public const string AnalysisError = "AnalysisError";

    /// <summary>ModelRollout: aborted by hand through the <c>whetstone.dev/abort</c> annotation.</summary>
    public const string Aborted = "Aborted";

    /// <summary>ModelRollout: the canary was rolled back; the stable keeps serving.</summary>
    public const string RolledBack = "RolledBack";

    /// <summary>ModelRollout: the HTTPRoute named in <c>trafficRouting.gatewayAPI</c> does not exist.</summary>
    public const string RouteNotFound = "RouteNotFound";

    /// <summary>ModelRollout: waiting for the referenced EvaluationRun to finish.</summary>
    public const string WaitingForEvaluation = "WaitingForEvaluation";

    /// <summary>ModelRollout: spec.stable names another model than the one serving (status.stableVersion); nothing is redeployed.</summary>
    public const string StableDiffersFromServing = "StableDiffersFromServing";

    /// <summary>ModelRollout: too many looks in a row left a metric undecided; paused for a person.</summary>
    public const string AnalysisInconclusive = "AnalysisInconclusive";

    /// <summary>ModelRollout: the canary's model cannot be resolved yet (its job has not succeeded).</summary>
    public const string CanaryModelUnresolved = "CanaryModelUnresolved";

    /// <summary>ModelRollout: the stable track is being updated to the canary's model before the canary scales down.</summary>
    public const string Promoting = "Promoting";

    /// <summary>ModelRollout: replica-ratio routing cannot give the asked weight with the configured replicas.</summary>
    public const string WeightApproximated = "WeightApproximated";

    /// <summary>ModelRollout: a step waits for canary pods that are not ready yet.</summary>
    public const string CanaryPodsNotReady = "CanaryPodsNotReady";

    /// <summary>ModelRollout: the pods the current weight needs on the canary are ready.</summary>
    public const string CanaryPodsReady = "CanaryPodsReady";

    /// <summary>ModelRollout: the canary waits for the stable track's pods to be ready before its first step.</summary>
    public const string WaitingForStable = "WaitingForStable";

    /// <summary>ModelRollout: the stable track has fewer ready pods than it should.</summary>
    public const string StablePodsNotReady = "StablePodsNotReady";

    /// <summary>ModelRollout: every pod of the stable track is ready.</summary>
    public const string StablePodsReady = "StablePodsReady";

    /// <summary>ModelRollout: rolled back because the canary's pods did not become ready within the operator's timeout.</summary>
    public const string CanaryNotReady = "CanaryNotReady";

    /// <summary>ModelRollout: the autoscaler raised a track's pods (spec.serving.autoscaling).</summary>
    public const string ScaledUp = "ScaledUp";

    /// <summary>ModelRollout: the autoscaler lowered a track's pods after its stabilization window.</summary>
    public const string ScaledDown = "ScaledDown";

    /// <summary>ModelRollout: the autoscaler could not read the load and kept the pods as they were.</summary>
    public const string AutoscalingMetricUnavailable = "AutoscalingMetricUnavailable";

    /// <summary>ModelRollout: replica-ratio routing gives the asked weight within 5 points.</summary>
    public const string WeightMatched = "WeightMatched";

    /// <summary>ModelRollout: restarted by hand through the <c>whetstone.dev/retry</c> annotation.</summary>
    public const string Retried = "Retried";

    /// <summary>The serving pods of a track are not ready.</summary>
    public const string ServingUnavailable = "ServingUnavailable";
}

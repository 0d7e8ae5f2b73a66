using System.Globalization;
using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Configuration;
using Whetstone.Operator.Preflight;
using Whetstone.Operator.Runtime.Conditions;

namespace Whetstone.Operator.Workers;

/// <summary>
/// Decides, from a worker job (any kind: FineTuneJob, CompressionJob, EvaluationRun, …) and its worker pods, what
/// should happen next: a pure function, so every rule is unit tested without a cluster. The kind contributes only an
/// <see cref="IWorkerJobKind{TJob}"/>. The rules:
/// <list type="bullet">
/// <item>one worker pod per attempt; a failed attempt is retried with exponential back-off until
/// <c>runPolicy.backoffLimit</c> failures, except for the kind's permanent failure reasons, which fail the job at
/// once;</item>
/// <item><c>runPolicy.suspend: true</c> stops the running pod (the worker checkpoints on SIGTERM) and keeps the job
/// Suspended; <c>false</c> starts a new attempt that resumes from the checkpoint;</item>
/// <item><c>runPolicy.activeDeadlineSeconds</c> counts from the first start and fails the job when passed;</item>
/// <item>a spec edited while an attempt runs does not change that attempt: condition Degraded/SpecChangedDuringRun says
/// so, and the next attempt uses the new spec;</item>
/// <item>a finished job is deleted <c>ttlSecondsAfterFinished</c> after completion (its artifacts stay);</item>
/// <item>the first worker pod of each generation waits for the preflight verdict (the kind's checks):
/// not checked yet → the plan asks for it (<see cref="WorkerJobPlan{TStatus}.NeedsPreflight"/>) and the controller
/// plans again with it; waiting → Pending with the verdict's reason, checked again after its back-off; failed → Failed
/// with its reason and no pod; passed → the pod starts. Retries within a generation do not check again;</item>
/// <item>a worker ServiceAccount the operator did not create is never adopted: the job fails with
/// <see cref="WorkerAccessReasons.WorkerAccountNotOwned"/>.</item>
/// </list>
/// </summary>
/// <typeparam name="TJob">The kind.</typeparam>
/// <typeparam name="TStatus">The kind's status type.</typeparam>
public static class WorkerJobPlanner<TJob, TStatus>
    where TJob : IWorkerJob<TStatus>
    where TStatus : class, IWorkerJobStatus, new()
{
    private static readonly TimeSpan ReferencePoll = TimeSpan.FromSeconds(10);

    /// <summary>Plans one reconcile.</summary>
    /// <param name="job">The job.</param>
    /// <param name="pods">Its worker pods.</param>
    /// <param name="references">Whether the jobs it names are ready.</param>
    /// <param name="preflight">The preflight verdict of its generation, or <see cref="PreflightVerdict.NotChecked"/>.</param>
    /// <param name="now">The time.</param>
    /// <param name="options">The worker options.</param>
    /// <param name="kind">What the job's kind contributes.</param>
    /// <param name="access">The outcome of creating the worker's account, when that was refused.</param>
    public static WorkerJobPlan<TStatus> Plan(TJob job, IReadOnlyList<V1Pod> pods, ReferenceState references, PreflightVerdict preflight, DateTime now,
        WorkerOptions options, IWorkerJobKind<TJob> kind, WorkerAccessOutcome? access = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(references);
        ArgumentNullException.ThrowIfNull(preflight);
        ArgumentNullException.ThrowIfNull(kind);
        var context = new PlanContext(job, pods, preflight, now, options, kind);
        if (JobPhases.IsTerminal(context.Status.Phase))
        {
            return context.PlanFinished();
        }

        if (references.Failed)
        {
            return context.Fail(references.Reason ?? ConditionReasons.ReferenceFailed, references.Message ?? "a referenced job failed");
        }

        if (access is { Refused: true })
        {
            return context.Fail(WorkerAccessReasons.WorkerAccountNotOwned, access.Message);
        }

        if (!references.Ready)
        {
            return context.WaitForReferences(references);
        }

        if (job.WorkerSpec.RunPolicy?.Suspend == true)
        {
            return context.Suspend();
        }

        if (context.IsPastDeadline(out var deadlineMessage))
        {
            return context.Fail(ConditionReasons.DeadlineExceeded, deadlineMessage);
        }

        return context.FollowAttempt();
    }

    /// <summary>The per-reconcile state: the job, its attempts, and the status being built.</summary>
    private sealed class PlanContext
    {
        private readonly TJob _job;
        private readonly IWorkerJobSpec _spec;
        private readonly IWorkerJobKind<TJob> _kind;
        private readonly PreflightVerdict _preflight;
        private readonly DateTime _now;
        private readonly WorkerOptions _options;
        private readonly List<AttemptObservation> _attempts;
        private readonly List<JobEvent> _events = [];
        private readonly List<string> _delete = [];
        private readonly long _generation;

        public PlanContext(TJob job, IReadOnlyList<V1Pod> pods, PreflightVerdict preflight, DateTime now, WorkerOptions options, IWorkerJobKind<TJob> kind)
        {
            _job = job;
            _spec = job.WorkerSpec;
            _kind = kind;
            _preflight = preflight;
            _now = now;
            _options = options;
            _generation = job.Metadata.Generation ?? 0;
            _attempts = [.. pods.Select(WorkerPodObserver.Observe).OrderBy(a => a.Attempt)];
            // One copy, changed in place from here on: the job's own status may be an informer's cached object.
            Status = job.Status is { } status ? (TStatus)status.Copy() : new TStatus();
            Status.ObservedGeneration = _generation;
        }

        public TStatus Status { get; }

        private int AttemptCount => Math.Max(Status.Attempts ?? 0, _attempts.Count == 0 ? 0 : _attempts[^1].Attempt);

        private AttemptObservation? Latest => _attempts.LastOrDefault(a => a.Attempt == AttemptCount);

        private int Failures => _attempts.Count(a => a.Outcome == AttemptOutcome.Failed);

        private int BackoffLimit => _spec.RunPolicy?.BackoffLimit ?? RetryPolicy.DefaultBackoffLimit;

        public WorkerJobPlan<TStatus> PlanFinished()
        {
            StopActivePods("the job has finished");
            ApplyResults();
            var ttl = _spec.RunPolicy?.TtlSecondsAfterFinished;
            if (ttl is null || Status.CompletionTime is null)
            {
                return Done(null);
            }

            var expires = Status.CompletionTime.Value.AddSeconds(ttl.Value);
            if (expires > _now)
            {
                return Done(expires - _now);
            }

            _events.Add(new JobEvent(false, WorkerEventReasons.Expired, $"deleting the job {ttl}s after it finished; its artifacts stay"));
            return Done(null, deleteJob: true);
        }

        public WorkerJobPlan<TStatus> WaitForReferences(ReferenceState references)
        {
            SetPhase(JobPhases.Queued, references.Reason ?? ConditionReasons.ReferenceNotReady, references.Message ?? "waiting for referenced jobs");
            return Done(ReferencePoll);
        }

        public WorkerJobPlan<TStatus> Suspend()
        {
            if (Status.Phase != JobPhases.Suspended)
            {
                _events.Add(new JobEvent(false, ConditionReasons.Suspended, "suspended: the worker checkpoints and stops; set runPolicy.suspend to false to resume"));
            }

            StopActivePods("the job is suspended");
            SetPhase(JobPhases.Suspended, ConditionReasons.Suspended, "runPolicy.suspend is true; the last checkpoint is kept");
            return Done(null);
        }

        public bool IsPastDeadline(out string message)
        {
            message = string.Empty;
            var deadline = _spec.RunPolicy?.ActiveDeadlineSeconds;
            if (deadline is null || Status.StartTime is null || Status.StartTime.Value.AddSeconds(deadline.Value) > _now)
            {
                return false;
            }

            message = $"the job ran longer than runPolicy.activeDeadlineSeconds ({deadline}s)";
            return true;
        }

        public WorkerJobPlan<TStatus> Fail(string reason, string message)
        {
            StopActivePods(message);
            Status.CompletionTime ??= _now;
            SetPhase(JobPhases.Failed, reason, message);
            ApplyResults();
            _events.Add(new JobEvent(true, reason, message));
            return Done(null);
        }

        public WorkerJobPlan<TStatus> FollowAttempt()
        {
            var latest = Latest;
            if (latest is null)
            {
                return StartAttempt(AttemptCount == 0 ? "starting the first attempt" : $"attempt {AttemptCount}'s worker pod is gone; starting a new attempt");
            }

            // The status write after a pod was created can be lost (a conflict with a newer version of the job): the
            // pods say which attempt is the latest, so the status catches up here instead of staying behind for good.
            Status.Attempts = Math.Max(Status.Attempts ?? 0, latest.Attempt);
            Status.WorkerPod = latest.PodName;
            NoteSpecChange(latest);
            switch (latest.Outcome)
            {
                case AttemptOutcome.Unschedulable:
                    SetPhase(JobPhases.Queued, ConditionReasons.Unschedulable, latest.Message ?? "no node has room for the worker");
                    return Done(null);
                case AttemptOutcome.Pending:
                    SetPhase(JobPhases.Pending, ConditionReasons.Pending, $"attempt {latest.Attempt}: the worker pod is starting");
                    return Done(null);
                case AttemptOutcome.Running:
                    Status.StartTime ??= latest.StartedAt ?? _now;
                    SetPhase(JobPhases.Running, ConditionReasons.Running, $"attempt {latest.Attempt} is running in pod {latest.PodName}");
                    return Done(RequeueForDeadline());
                case AttemptOutcome.Terminating:
                    return Done(null);
                case AttemptOutcome.Succeeded:
                    Status.CompletionTime ??= latest.FinishedAt ?? _now;
                    SetPhase(JobPhases.Succeeded, ConditionReasons.Succeeded, _kind.DescribeSuccess(_job, latest.Message));
                    _events.Add(new JobEvent(false, ConditionReasons.Succeeded, $"attempt {latest.Attempt} succeeded"));
                    return PlanFinished();
                default:
                    return AfterFailure(latest);
            }
        }

        /// <summary>
        /// What the worker's results decide once the job finished: the kind's description of a success (the results may
        /// reach the job after its pod's success did, so it is read again while the pod is listed) and its conditions.
        /// </summary>
        private void ApplyResults()
        {
            if (Status.Phase == JobPhases.Succeeded && Latest is { Outcome: AttemptOutcome.Succeeded } succeeded)
            {
                var message = _kind.DescribeSuccess(_job, succeeded.Message);
                if (!string.Equals(message, Status.Message, StringComparison.Ordinal))
                {
                    SetPhase(JobPhases.Succeeded, ConditionReasons.Succeeded, message);
                }
            }

            foreach (var condition in _kind.ResultConditions(_job))
            {
                SetCondition(condition.Type, condition.Holds ? "True" : "False", condition.Reason, condition.Message);
            }
        }

        private WorkerJobPlan<TStatus> AfterFailure(AttemptObservation failed)
        {
            var reason = failed.Reason ?? ConditionReasons.WorkerFailed;
            var message = failed.Message ?? "the worker failed";
            if (_kind.PermanentFailureReasons.Contains(reason))
            {
                return Fail(reason, $"attempt {failed.Attempt}: {message}");
            }

            if (Failures > BackoffLimit)
            {
                return Fail(ConditionReasons.BackoffLimitExceeded,
                    $"{Failures} attempts failed (runPolicy.backoffLimit is {BackoffLimit}); the last: {reason}: {message}");
            }

            var wait = RetryPolicy.Delay(Failures, _options.RetryBaseDelay, _options.RetryMaxDelay);
            var retryAt = (failed.FinishedAt ?? _now) + wait;
            if (retryAt > _now)
            {
                // The retry's time, not a countdown: a message that changed with the clock would be a status write on
                // every reconcile while nothing happens.
                SetPhase(JobPhases.Pending, reason, string.Create(CultureInfo.InvariantCulture, $"attempt {failed.Attempt} failed ({message}); retrying at {retryAt:yyyy-MM-ddTHH:mm:ssZ}"));
                return Done(retryAt - _now);
            }

            return StartAttempt($"retrying after attempt {failed.Attempt} failed: {reason}",
                new JobEvent(true, WorkerEventReasons.Retrying, $"attempt {failed.Attempt} failed: {reason}: {message}; starting attempt {AttemptCount + 1}"));
        }

        private WorkerJobPlan<TStatus> StartAttempt(string why, JobEvent? retrying = null)
        {
            // Once per generation: a retry of a generation that already had a worker pod does not check again.
            if (_attempts.All(a => a.Generation != _generation))
            {
                switch (_preflight.Outcome)
                {
                    case PreflightOutcome.NotChecked:
                        return Done(null, needsPreflight: true);
                    case PreflightOutcome.Failed:
                        return Fail(_preflight.Reason ?? ConditionReasons.ArtifactStoreError, _preflight.Message);
                    case PreflightOutcome.Waiting:
                        return WaitForPreflight();
                    default:
                        _events.Add(new JobEvent(false, PreflightEventReasons.PreflightPassed, _preflight.Message));
                        break;
                }
            }

            // Announced only once the pod is really created, so a retry waiting for the check is not re-announced.
            if (retrying is not null)
            {
                _events.Add(retrying);
            }

            var attempt = AttemptCount + 1;
            if (attempt == 1 && _spec.Resources?.Gpu?.Product is { Length: > 0 } product && !GpuProducts.IsKnown(product))
            {
                _events.Add(new JobEvent(true, WorkerEventReasons.UnknownGpuProduct,
                    $"resources.gpu.product {product} is not in the GPU price table; the cost estimate uses the default rate ({GpuProducts.DefaultFamily})"));
            }

            var pod = WorkerPodBuilder.Build(
                new WorkerPodRequest(_job, _kind.Subcommand, attempt, _spec.Resources, _spec.QueueName, RemainingDeadlineSeconds()),
                _options);
            Status.Attempts = attempt;
            Status.WorkerPod = pod.Metadata.Name;
            SetPhase(JobPhases.Pending, ConditionReasons.Pending, $"attempt {attempt}: {why}");
            _events.Add(new JobEvent(false, WorkerEventReasons.AttemptStarted, $"created worker pod {pod.Metadata.Name} (attempt {attempt})"));
            return Done(null, create: pod);
        }

        private WorkerJobPlan<TStatus> WaitForPreflight()
        {
            var reason = _preflight.Reason ?? ConditionReasons.ArtifactStoreUnavailable;
            var message = $"waiting to check the inputs: {_preflight.Message}";
            var progressing = ConditionList.Find(Status.Conditions, ConditionTypes.Progressing);
            if (Status.Phase != JobPhases.Pending || progressing?.Reason != reason || Status.Message != message)
            {
                _events.Add(new JobEvent(true, reason, message));
            }

            SetPhase(JobPhases.Pending, reason, message);
            return Done(_preflight.RetryAfter ?? _options.RetryBaseDelay);
        }

        private long? RemainingDeadlineSeconds()
        {
            var deadline = _spec.RunPolicy?.ActiveDeadlineSeconds;
            if (deadline is null)
            {
                return null;
            }

            var used = Status.StartTime is { } start ? (long)(_now - start).TotalSeconds : 0;
            return Math.Max(1, deadline.Value - used);
        }

        private TimeSpan? RequeueForDeadline()
        {
            var deadline = _spec.RunPolicy?.ActiveDeadlineSeconds;
            return deadline is null || Status.StartTime is null ? null : Status.StartTime.Value.AddSeconds(deadline.Value) - _now;
        }

        private void NoteSpecChange(AttemptObservation latest)
        {
            var running = latest.Outcome is AttemptOutcome.Pending or AttemptOutcome.Running or AttemptOutcome.Unschedulable;
            if (running && latest.Generation != _generation)
            {
                SetCondition(ConditionTypes.Degraded, "True", ConditionReasons.SpecChangedDuringRun,
                    $"the spec changed (generation {_generation}) while attempt {latest.Attempt} runs with generation {latest.Generation}; the change takes effect on the next attempt");
            }
            else if (ConditionList.Find(Status.Conditions, ConditionTypes.Degraded) is not null)
            {
                SetCondition(ConditionTypes.Degraded, "False", ConditionReasons.Running, "the running attempt uses the current spec");
            }
        }

        private void StopActivePods(string why)
        {
            foreach (var attempt in _attempts.Where(a => a.Outcome is AttemptOutcome.Pending or AttemptOutcome.Running or AttemptOutcome.Unschedulable))
            {
                _delete.Add(attempt.PodName);
                _events.Add(new JobEvent(false, WorkerEventReasons.WorkerStopped, $"stopping worker pod {attempt.PodName}: {why}"));
            }
        }

        private void SetPhase(string phase, string reason, string message)
        {
            Status.Phase = phase;
            Status.Message = message;
            var succeeded = phase == JobPhases.Succeeded;
            var failed = phase == JobPhases.Failed;
            var active = phase is JobPhases.Pending or JobPhases.Queued or JobPhases.Running;
            SetCondition(ConditionTypes.Ready, succeeded ? "True" : "False", reason, message);
            SetCondition(ConditionTypes.Progressing, active ? "True" : "False", reason, message);
            SetCondition(ConditionTypes.Succeeded, succeeded ? "True" : "False", reason, message);
            SetCondition(ConditionTypes.Failed, failed ? "True" : "False", reason, message);
            SetCondition(ConditionTypes.Suspended, phase == JobPhases.Suspended ? "True" : "False", reason, message);
        }

        private void SetCondition(string type, string status, string reason, string message) =>
            Status.Conditions = ConditionList.Set(Status.Conditions, new V1Condition
            {
                Type = type,
                Status = status,
                Reason = reason,
                Message = message,
                ObservedGeneration = _generation,
            }, _now);

        private WorkerJobPlan<TStatus> Done(TimeSpan? requeueAfter, V1Pod? create = null, bool deleteJob = false, bool needsPreflight = false) =>
            new(Status, create, _delete, deleteJob, requeueAfter, _events, needsPreflight);
    }
}

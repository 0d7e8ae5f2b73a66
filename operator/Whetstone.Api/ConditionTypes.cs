namespace Whetstone.Api;

/// <summary>The <c>type</c> of the conditions Whetstone writes to <c>status.conditions</c>.</summary>
public static class ConditionTypes
{
    /// <summary>True when the object reached its goal: a job Succeeded, a rollout Promoted.</summary>
    public const string Ready = "Ready";

    /// <summary>True once a job finished successfully; terminal.</summary>
    public const string Succeeded = "Succeeded";

    /// <summary>True once a job or rollout failed; terminal. The reason says why.</summary>
    public const string Failed = "Failed";

    /// <summary>True while work is under way (a worker runs, a rollout moves through its steps).</summary>
    public const string Progressing = "Progressing";

    /// <summary>True while the object works but with a problem (a retried worker, a rolled-back canary).</summary>
    public const string Degraded = "Degraded";

    /// <summary>True while <c>runPolicy.suspend</c> holds a job (or a rollout waits at a pause).</summary>
    public const string Suspended = "Suspended";

    /// <summary>True when every referenced job, run and model was found and usable.</summary>
    public const string ReferencesResolved = "ReferencesResolved";

    /// <summary>CompressionJob: true when the compressed model stays within the alignment thresholds.</summary>
    public const string Aligned = "Aligned";

    /// <summary>EvaluationRun: true when every gate passed.</summary>
    public const string GatesPassed = "GatesPassed";

    /// <summary>ModelRollout: true while the canary's analysis is within its thresholds.</summary>
    public const string AnalysisPassing = "AnalysisPassing";

    /// <summary>
    /// ModelRollout: whether the canary has the ready pods its weight needs; false since the step began waiting for them
    /// (a rollout rolls back once it has been false for the operator's canary-ready timeout).
    /// </summary>
    public const string CanaryReady = "CanaryReady";

    /// <summary>
    /// ModelRollout: whether the stable track had all its pods ready when the canary was to start; false since the
    /// rollout began waiting for them (after the operator's canary-ready timeout the canary starts anyway, with a warning).
    /// </summary>
    public const string StableReady = "StableReady";

    /// <summary>ModelRollout with replicaRatio routing: false when the replica split is more than 5 points off the asked weight.</summary>
    public const string WeightAccurate = "WeightAccurate";
}

using k8s.Models;
using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>Where a ModelRollout stands.</summary>
public sealed record ModelRolloutStatus
{
    /// <summary>Pending, Progressing, Paused, Promoted, RolledBack or Failed.</summary>
    [Enum(RolloutPhases.Pending, RolloutPhases.Progressing, RolloutPhases.Paused, RolloutPhases.Promoted,
        RolloutPhases.RolledBack, RolloutPhases.Failed)]
    public string? Phase { get; set; }

    /// <summary>The metadata.generation this status describes.</summary>
    public long? ObservedGeneration { get; set; }

    /// <summary>Ready, Progressing, Degraded, Failed, AnalysisPassing, with reason and message.</summary>
    [ListMapKeys("type")]
    public IList<V1Condition>? Conditions { get; set; }

    /// <summary>Index of the current step (0-based); equal to the number of steps once all are done.</summary>
    public int? CurrentStep { get; set; }

    /// <summary>Percent of traffic on the canary now.</summary>
    public int? CanaryWeight { get; set; }

    /// <summary>Version of the stable track now serving.</summary>
    public string? StableVersion { get; set; }

    /// <summary>Version of the canary track.</summary>
    public string? CanaryVersion { get; set; }

    /// <summary>When the current pause step began (timed pauses end at pauseStartTime + duration).</summary>
    public DateTime? PauseStartTime { get; set; }

    /// <summary>Failed measurements counted against failureLimit.</summary>
    public int? AnalysisFailures { get; set; }

    /// <summary>The latest measurements (at most 50, newest last).</summary>
    [Items(Max = 50)]
    public IList<AnalysisResult>? Analysis { get; set; }

    /// <summary>A one-line human summary, such as "step 2/6: paused 4m12s of 10m"; a rollback's reason.</summary>
    public string? Message { get; set; }

    /// <summary>The model the stable track serves (after a promotion, the former canary's); spec.stable only seeds it.</summary>
    public ArtifactRef? StableModel { get; set; }

    /// <summary>The canary's model as resolved from spec.canary.model (a job reference becomes the job's output).</summary>
    public ArtifactRef? CanaryModel { get; set; }

    /// <summary>When the current step began (the final weight's analysis counts from here).</summary>
    public DateTime? StepStartTime { get; set; }

    /// <summary>When the analysis (re)started; <c>{{window}}</c> in queries is the time since.</summary>
    public DateTime? AnalysisStartTime { get; set; }

    /// <summary>When the metrics were last measured; the next look is one interval later.</summary>
    public DateTime? LastAnalysisTime { get; set; }

    /// <summary>Looks in a row with at least one Error measurement, counted against consecutiveErrorLimit.</summary>
    public int? ConsecutiveErrors { get; set; }

    /// <summary>Looks in a row with an Inconclusive measurement that has to be decided, counted against inconclusiveLimit.</summary>
    public int? ConsecutiveInconclusive { get; set; }

    /// <summary>When the current canary started (Pending to Progressing); the report's durations count from here.</summary>
    public DateTime? StartTime { get; set; }

    /// <summary>The autoscaler's state per track (spec.serving.autoscaling); it survives operator restarts here.</summary>
    [Items(Max = 3)]
    [ListMapKeys("track")]
    public IList<TrackScale>? Autoscaling { get; set; }

    /// <summary>The summary of the last finished attempt (Promoted or RolledBack); cleared when a new attempt starts.</summary>
    public RolloutReport? Report { get; set; }
}

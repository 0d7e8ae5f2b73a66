using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>
/// The summary of a finished rollout attempt (Promoted or RolledBack), kept in status because ModelRollout has no
/// output location: the outcome, each track's conversion with its interval and P99 latency as Prometheus measured
/// them over the attempt, every analysis decision, the durations, and the same as Markdown.
/// </summary>
public sealed record RolloutReport
{
    /// <summary>Promoted or RolledBack.</summary>
    [Enum(RolloutPhases.Promoted, RolloutPhases.RolledBack)]
    public string? Outcome { get; set; }

    /// <summary>Why: the promotion message, or the rollback's metric, query, value and threshold.</summary>
    public string? Reason { get; set; }

    /// <summary>Version of the canary this attempt rolled out.</summary>
    public string? CanaryVersion { get; set; }

    /// <summary>Version that was stable when the attempt began.</summary>
    public string? StableVersion { get; set; }

    /// <summary>When the canary started (status.startTime).</summary>
    public DateTime? StartedAt { get; set; }

    /// <summary>When the outcome was decided.</summary>
    public DateTime? FinishedAt { get; set; }

    /// <summary>From start to outcome, in seconds.</summary>
    public double? DurationSeconds { get; set; }

    /// <summary>How long the canary had been at its last weight when the outcome was decided, in seconds.</summary>
    public double? LastStepSeconds { get; set; }

    /// <summary>Steps completed, of spec.strategy.steps.</summary>
    public int? StepsCompleted { get; set; }

    /// <summary>Number of steps in spec.strategy.steps.</summary>
    public int? Steps { get; set; }

    /// <summary>Per track (stable, canary): requests, errors, conversion with its 95 % Wilson interval, P99 latency.</summary>
    [Items(Max = 2)]
    public IList<RolloutTrackReport>? Tracks { get; set; }

    /// <summary>Every analysis decision of the attempt (status.analysis as it stood, at most 50, oldest first).</summary>
    [Items(Max = 50)]
    public IList<AnalysisResult>? Decisions { get; set; }

    /// <summary>Why a figure is missing (no Prometheus configured, a query that failed), when one is.</summary>
    public string? Note { get; set; }

    /// <summary>The report as Markdown, for a person.</summary>
    [Length(Max = 32768)]
    public string? Markdown { get; set; }
}

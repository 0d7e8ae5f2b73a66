using System.Globalization;
using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Rollouts.Analysis;
using Whetstone.Operator.Runtime.Conditions;
using Whetstone.Operator.Workers;

namespace Whetstone.Operator.Rollouts;

/// <summary>
/// The ModelRollout's rules as a pure function: (object with its annotations, observation, now) → <see cref="RolloutPlan"/>.
/// Everything it remembers lives in status (step, pause start, analysis counters), so a restarted operator plans the
/// same. The transition table for the annotations is in docs/decisions.md.
/// </summary>
public static class RolloutPlanner
{
    /// <summary>How long to wait before looking again at something that is not ready (pods, a referenced run).</summary>
    public static readonly TimeSpan WaitInterval = TimeSpan.FromSeconds(5);

    /// <summary>How long a step waits for the canary pods its weight needs before the rollout rolls back (default).</summary>
    public static readonly TimeSpan DefaultCanaryReadyTimeout = TimeSpan.FromMinutes(10);

    /// <summary>At most this many measurements are kept in status.analysis (newest last).</summary>
    public const int HistoryLimit = 50;

    /// <summary>
    /// Plans one reconcile. <paramref name="canaryReadyTimeout"/> (default <see cref="DefaultCanaryReadyTimeout"/>) is how
    /// long a step may wait for canary pods that do not become ready (a crash at load, an image or a model that never
    /// starts) before the rollout rolls back.
    /// </summary>
    public static RolloutPlan Plan(ModelRollout rollout, RolloutObservation observed, DateTime now, TimeSpan? canaryReadyTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        ArgumentNullException.ThrowIfNull(observed);
        var context = new RolloutPlanning(rollout, observed, now, canaryReadyTimeout ?? DefaultCanaryReadyTimeout);
        if (!context.SeedStable())
        {
            return context.ToPlan();
        }

        context.StartNewCanaryIfSpecChanged();
        context.ApplyAnnotations();
        context.Autoscale();
        context.Advance();
        context.CheckStableAgainstSpec();
        return context.ToPlan();
    }

    /// <summary>Whether a look at the metrics is due now (the controller then measures before planning).</summary>
    public static bool IsAnalysisDue(ModelRollout rollout, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        var status = rollout.Status;
        if (rollout.Spec.Strategy.Analysis is not { } analysis || status?.AnalysisStartTime is null
            || status.Phase is not (RolloutPhases.Progressing or RolloutPhases.Paused)
            || string.Equals(ConditionList.Find(status.Conditions, ConditionTypes.Progressing)?.Reason, ConditionReasons.Promoting, StringComparison.Ordinal))
        {
            return false;
        }

        return status.LastAnalysisTime is not { } last || now >= last + Interval(analysis);
    }

    /// <summary>
    /// The units the serving autoscaler sizes now: the whole rollout under replicaRatio routing, else the stable track
    /// and, while it serves, the canary track. Empty without spec.serving.autoscaling.
    /// </summary>
    public static IReadOnlyList<string> ScaledUnits(ModelRolloutSpec spec, ModelRolloutStatus? status)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Serving?.Autoscaling is null)
        {
            return [];
        }

        if (spec.TrafficRouting?.ReplicaRatio is not null)
        {
            return [RolloutAutoscaler.AllTracks];
        }

        var canaryServes = status?.Phase is RolloutPhases.Progressing or RolloutPhases.Paused && status.CanaryModel is not null;
        return canaryServes ? [Tracks.Stable, Tracks.Canary] : [Tracks.Stable];
    }

    /// <summary>The units whose load is due to be measured now (the controller then queries Prometheus before planning).</summary>
    public static IReadOnlyList<string> UnitsToMeasure(ModelRollout rollout, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        if (rollout.Spec.Serving?.Autoscaling is not { } autoscaling)
        {
            return [];
        }

        var interval = RolloutAutoscaler.Interval(autoscaling);
        return ScaledUnits(rollout.Spec, rollout.Status)
            .Where(u => rollout.Status?.Autoscaling?.FirstOrDefault(s => s.Track == u)?.LastMeasureTime is not { } last || now >= last + interval)
            .ToList();
    }

    /// <summary>The analysis interval (default 1m).</summary>
    public static TimeSpan Interval(RolloutAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        return RolloutDurations.Parse(analysis.Interval ?? "1m", "spec.strategy.analysis.interval");
    }

    /// <summary>Canary pods for <paramref name="weight"/> percent of <paramref name="replicas"/> under replica-ratio routing.</summary>
    public static int CanaryReplicasForRatio(int replicas, int weight) =>
        weight <= 0 ? 0 : weight >= 100 ? replicas : Math.Clamp((int)Math.Round(replicas * weight / 100.0, MidpointRounding.AwayFromZero), 1, Math.Max(1, replicas - 1));

    internal static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    internal static V1Condition Condition(string type, bool status, string reason, string message, long? generation) =>
        new() { Type = type, Status = status ? "True" : "False", Reason = reason, Message = message, ObservedGeneration = generation };
}

using Whetstone.Api;
using Whetstone.Api.V1Alpha1;

namespace Whetstone.Operator.Rollouts;

/// <summary>The serving autoscaler's part of a reconcile: replica counts per unit, kept in status.autoscaling.</summary>
internal sealed partial class RolloutPlanning
{
    /// <summary>Applies the loads measured in this reconcile (none when no look was due) and drops units that stopped serving.</summary>
    public void Autoscale()
    {
        if (Spec.Serving?.Autoscaling is not { } autoscaling)
        {
            _status.Autoscaling = null;
            return;
        }

        var units = RolloutPlanner.ScaledUnits(_rollout.Spec, _status);
        var states = (_status.Autoscaling ?? []).Where(s => units.Contains(s.Track)).ToList();
        foreach (var (unit, load) in _observed.Loads.Where(l => units.Contains(l.Key)))
        {
            var previous = states.Find(s => s.Track == unit);
            var decision = RolloutAutoscaler.Decide(autoscaling, unit, previous, RolloutAutoscaler.InitialReplicas(Spec.Serving), load, _now);
            states.RemoveAll(s => s.Track == unit);
            states.Add(decision.State);
            if (decision.Event is { } change)
            {
                _events.Add(change);
            }
        }

        _status.Autoscaling = states.OrderBy(s => s.Track, StringComparer.Ordinal).ToList();
        var interval = RolloutAutoscaler.Interval(autoscaling);
        var due = units.Select(u => states.Find(s => s.Track == u)?.LastMeasureTime is { } last ? last + interval - _now : TimeSpan.Zero).DefaultIfEmpty(interval).Min();
        _requeues.Add(due > TimeSpan.Zero ? due : TimeSpan.FromSeconds(1));
    }

    // Pods per track: the autoscaler's count for the track (replicaRatio: for both tracks together), else spec.serving.replicas.
    private int ReplicasFor(string track)
    {
        if (Spec.Serving?.Autoscaling is null)
        {
            return Spec.Serving?.Replicas ?? 1;
        }

        var unit = IsReplicaRatio ? RolloutAutoscaler.AllTracks : track;
        return _status.Autoscaling?.FirstOrDefault(s => s.Track == unit)?.Replicas ?? RolloutAutoscaler.InitialReplicas(Spec.Serving);
    }

    // While promoting, the stable track takes the canary's model and, once done, all of the traffic: size it for the
    // busier of the two tracks.
    private int PromotedStableReplicas() =>
        IsReplicaRatio ? ReplicasFor(Tracks.Stable) : Math.Max(ReplicasFor(Tracks.Stable), ReplicasFor(Tracks.Canary));
}

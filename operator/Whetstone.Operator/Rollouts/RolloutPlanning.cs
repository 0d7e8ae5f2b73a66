using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Rollouts.Analysis;
using Whetstone.Operator.Runtime.Conditions;
using Whetstone.Operator.Workers;
using static Whetstone.Operator.Rollouts.RolloutPlanner;

namespace Whetstone.Operator.Rollouts;

/// <summary>
/// The per-reconcile context of <see cref="RolloutPlanner"/> (argo-rollouts' <c>rolloutContext</c>): the object, what
/// was observed, and the status being built. Its steps run in a fixed order and each may end the plan early.
/// </summary>
internal sealed partial class RolloutPlanning
{
    private readonly ModelRollout _rollout;
    private readonly RolloutObservation _observed;
    private readonly DateTime _now;
    private readonly TimeSpan _canaryReadyTimeout;
    private readonly ModelRolloutStatus _status;
    private readonly List<JobEvent> _events = [];
    private readonly List<string> _consumed = [];
    private readonly List<TimeSpan> _requeues = [];
    private int _askedWeight;

    public RolloutPlanning(ModelRollout rollout, RolloutObservation observed, DateTime now, TimeSpan canaryReadyTimeout)
    {
        _rollout = rollout;
        _observed = observed;
        _now = now;
        _canaryReadyTimeout = canaryReadyTimeout;
        _status = (rollout.Status ?? new ModelRolloutStatus()) with { ObservedGeneration = rollout.Metadata.Generation };
        _status.Conditions = _status.Conditions?.ToList();
        _status.Analysis = _status.Analysis?.ToList();
        _askedWeight = IsReplicaRatio ? AskedWeightFromSteps() : _status.CanaryWeight ?? 0;
    }

    private ModelRolloutSpec Spec => _rollout.Spec;

    private long? Generation => _rollout.Metadata.Generation;

    private int StepCount => Spec.Strategy.Steps.Count;

    private int Step => _status.CurrentStep ?? 0;

    private bool IsReplicaRatio => Spec.TrafficRouting?.ReplicaRatio is not null;

    private bool IsPromoting => ProgressingReason == ConditionReasons.Promoting;

    private bool IsPausedInconclusive => _status.Phase == RolloutPhases.Paused && ProgressingReason == ConditionReasons.AnalysisInconclusive;

    private string? ProgressingReason => ConditionList.Find(_status.Conditions, ConditionTypes.Progressing)?.Reason;

    /// <summary>The stable track starts as spec.stable; afterwards status is the truth (promotions change it).</summary>
    public bool SeedStable()
    {
        if (_status.StableVersion is not null && _status.StableModel is not null)
        {
            return true;
        }

        if (_observed.StableModel is null)
        {
            _status.Phase = RolloutPhases.Pending;
            _status.Message = "waiting for spec.stable's model to resolve";
            _requeues.Add(WaitInterval);
            return false;
        }

        _status.StableVersion = Spec.Stable.Version;
        _status.StableModel = _observed.StableModel;
        return true;
    }

    /// <summary>A spec.canary version other than the one in status starts a new rollout from the stable that serves.</summary>
    public void StartNewCanaryIfSpecChanged()
    {
        if (_status.CanaryVersion == Spec.Canary.Version
            || (_status.Phase == RolloutPhases.Promoted && _status.StableVersion == Spec.Canary.Version))
        {
            return;
        }

        var previous = _status.CanaryVersion;
        ResetForNewAttempt();
        _status.CanaryVersion = Spec.Canary.Version;
        _status.CanaryModel = null;
        if (previous is not null)
        {
            Event(false, ConditionReasons.StepAdvanced, Text($"new canary {Spec.Canary.Version} (was {previous}); starting from stable {_status.StableVersion}"));
        }
    }

    /// <summary>The step-by-step progress of the current phase.</summary>
    public void Advance()
    {
        switch (_status.Phase)
        {
            case RolloutPhases.Pending:
                StartWhenReady();
                break;
            case RolloutPhases.Progressing or RolloutPhases.Paused:
                Progress();
                break;
            default:
                Describe();
                break;
        }
    }

    /// <summary>spec.stable naming another model than the serving one raises a condition; nothing is redeployed.</summary>
    public void CheckStableAgainstSpec()
    {
        var differs = _status.StableVersion != Spec.Stable.Version;
        var existing = ConditionList.Find(_status.Conditions, ConditionTypes.Degraded);
        if (!differs && existing is null)
        {
            return;
        }

        var condition = differs
            ? Condition(ConditionTypes.Degraded, true, ConditionReasons.StableDiffersFromServing,
                Text($"spec.stable.version is {Spec.Stable.Version} but {_status.StableVersion} is serving as stable; the operator never redeploys an older stable by itself (set spec.stable to what serves, or roll out the version you want as a canary)"), Generation)
            : Condition(ConditionTypes.Degraded, false, ConditionReasons.StableDiffersFromServing, "spec.stable matches the serving stable", Generation);
        SetCondition(condition);
    }

    public RolloutPlan ToPlan()
    {
        var replicas = ReplicasFor(Tracks.Stable);
        var ratio = IsReplicaRatio;
        var weight = CanaryWeightForTraffic();
        if (ratio && _status.Phase is RolloutPhases.Progressing or RolloutPhases.Paused)
        {
            _status.CanaryWeight = EffectiveWeight();
        }

        var canaryServes = _status.Phase is RolloutPhases.Progressing or RolloutPhases.Paused && _status.CanaryModel is not null;
        var canaryReplicas = !canaryServes ? 0 : ratio ? CanaryReplicasForRatio(replicas, weight) : ReplicasFor(Tracks.Canary);
        var stableReplicas = ratio && canaryServes ? replicas - canaryReplicas : replicas;
        TrackPlan? stable = _status.StableModel is null ? null
            : IsPromoting && _status.CanaryModel is not null ? new TrackPlan(Tracks.Stable, _status.CanaryVersion!, _status.CanaryModel, PromotedStableReplicas())
            : new TrackPlan(Tracks.Stable, _status.StableVersion!, _status.StableModel, stableReplicas);
        TrackPlan? canary = _status.CanaryModel is null ? null : new TrackPlan(Tracks.Canary, _status.CanaryVersion!, _status.CanaryModel, canaryReplicas);
        var requeue = _requeues.Count == 0 ? (TimeSpan?)null : _requeues.Min();
        if (requeue is { } r && r < TimeSpan.FromSeconds(1))
        {
            requeue = TimeSpan.FromSeconds(1);
        }

        return new RolloutPlan(_status, stable, canary, weight, _consumed, _events, requeue);
    }

    private int CanaryWeightForTraffic() => _status.Phase is RolloutPhases.Progressing or RolloutPhases.Paused ? _askedWeight : 0;

    // The weight the steps ask for now. Under replica-ratio routing status.canaryWeight shows the effective weight
    // (ready pods), so the asked one is read back from the steps: the last setWeight up to the current step, 100
    // while promoting, 0 when the canary does not serve.
    private int AskedWeightFromSteps()
    {
        if (_status.Phase is not (RolloutPhases.Progressing or RolloutPhases.Paused))
        {
            return 0;
        }

        if (IsPromoting)
        {
            return 100;
        }

        var last = Math.Min(Step, StepCount - 1);
        for (var i = last; i >= 0; i--)
        {
            if (Spec.Strategy.Steps[i].SetWeight is { } weight)
            {
                return weight;
            }
        }

        return 0;
    }

    // Replica-ratio routing: the share of ready pods behind the rollout's Service that run the canary.
    private int EffectiveWeight()
    {
        var canary = _observed.Canary.Version == _status.CanaryVersion ? _observed.Canary.ReadyReplicas : 0;
        var all = canary + _observed.Stable.ReadyReplicas;
        return all == 0 ? 0 : (int)Math.Round(100.0 * canary / all, MidpointRounding.AwayFromZero);
    }

    private void SetAskedWeight(int weight)
    {
        _askedWeight = weight;
        _status.CanaryWeight = weight;
    }

    private void ResetForNewAttempt()
    {
        _status.Phase = RolloutPhases.Pending;
        _status.CurrentStep = 0;
        SetAskedWeight(0);
        _status.PauseStartTime = null;
        _status.StepStartTime = null;
        _status.AnalysisStartTime = null;
        _status.LastAnalysisTime = null;
        _status.AnalysisFailures = 0;
        _status.ConsecutiveErrors = 0;
        _status.ConsecutiveInconclusive = 0;
        _status.Analysis = [];
        _status.StartTime = null;
        _status.Report = null;
        // A new attempt's wait for its canary pods starts from its own first step, never from an earlier attempt's.
        _status.Conditions = _status.Conditions?.Where(c => c.Type is not (ConditionTypes.CanaryReady or ConditionTypes.StableReady)).ToList();
        SetCondition(Condition(ConditionTypes.Progressing, true, ConditionReasons.StepAdvanced, "starting", Generation));
    }

    private void Event(bool warning, string reason, string message) => _events.Add(new JobEvent(warning, reason, message));

    private void SetCondition(k8s.Models.V1Condition condition) => _status.Conditions = ConditionList.Set(_status.Conditions, condition, _now);

    private static bool IsDataInconclusive(Measurement m) =>
        m.Verdict == AnalysisVerdicts.Inconclusive && m.Reason is QueryProblems.EmptyResult or QueryProblems.NotANumber;
}

using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Runtime.Conditions;
using static Whetstone.Operator.Rollouts.RolloutPlanner;

namespace Whetstone.Operator.Rollouts;

/// <summary>Starting, stepping, pausing, promoting and rolling back.</summary>
internal sealed partial class RolloutPlanning
{
    private void StartWhenReady()
    {
        if (_observed.CanaryModel is null)
        {
            Wait(ConditionReasons.CanaryModelUnresolved, Text($"waiting for the canary's model: {_observed.CanaryUnresolved ?? "not resolved yet"}"));
            return;
        }

        if (_observed.Evaluation is { } evaluation)
        {
            if (!evaluation.Found || !evaluation.Finished)
            {
                Wait(ConditionReasons.WaitingForEvaluation, Text($"waiting for EvaluationRun {evaluation.Name} to finish{(evaluation.Found ? "" : " (it does not exist yet)")}"));
                return;
            }

            var otherDigest = evaluation.EvaluatedDigest is not null && _observed.CanaryModel.Digest is not null
                && evaluation.EvaluatedDigest != _observed.CanaryModel.Digest;
            if (evaluation.Verdict != Verdicts.Passed || otherDigest || !evaluation.EvaluatedSameSource)
            {
                var why = evaluation.Verdict != Verdicts.Passed ? Text($"its verdict is {evaluation.Verdict ?? "missing"}")
                    : otherDigest ? Text($"it evaluated {evaluation.EvaluatedDigest}, the canary is {_observed.CanaryModel.Digest}")
                    : "it evaluated another model than spec.canary.model";
                Fail(ConditionReasons.EvaluationNotPassed, Text($"EvaluationRun {evaluation.Name} does not allow canary {_status.CanaryVersion}: {why}"));
                return;
            }
        }

        if (!StableServesOrWaitedLongEnough())
        {
            return;
        }

        _status.CanaryModel = _observed.CanaryModel;
        _status.Phase = RolloutPhases.Progressing;
        _status.CurrentStep = 0;
        _status.StartTime = _now;
        _status.AnalysisStartTime = Spec.Strategy.Analysis is null ? null : _now;
        SetCondition(Condition(ConditionTypes.Progressing, true, ConditionReasons.StepAdvanced, "started", Generation));
        Event(false, ConditionReasons.StepAdvanced, Text($"canary {_status.CanaryVersion} starts against stable {_status.StableVersion}"));
        Progress();
    }

    // A canary that starts beside a stable track still loading takes every request under replicaRatio routing (and a
    // weighted route sends the stable's share nowhere), so the first step waits for the stable's pods. A stable that
    // stays unready is not waited on for ever: after the canary-ready timeout the canary starts anyway, with a warning,
    // since it may be the fix for that stable. The wait is measured from the StableReady condition, as CanaryReady's.
    private bool StableServesOrWaitedLongEnough()
    {
        var wanted = ReplicasFor(Tracks.Stable);
        var ready = _observed.Stable.Version == _status.StableVersion ? _observed.Stable.ReadyReplicas : 0;
        if (ready >= wanted)
        {
            SetCondition(Condition(ConditionTypes.StableReady, true, ConditionReasons.StablePodsReady,
                Text($"{ready} stable pods of {_status.StableVersion} ready ({wanted} wanted)"), Generation));
            return true;
        }

        SetCondition(Condition(ConditionTypes.StableReady, false, ConditionReasons.StablePodsNotReady,
            Text($"{ready} of {wanted} stable pods of {_status.StableVersion} ready"), Generation));
        var since = ConditionList.Find(_status.Conditions, ConditionTypes.StableReady)?.LastTransitionTime ?? _now;
        var waited = _now - since;
        if (waited >= _canaryReadyTimeout)
        {
            Event(true, ConditionReasons.StablePodsNotReady, Text(
                $"starting canary {_status.CanaryVersion} although stable {_status.StableVersion} has {ready} of {wanted} ready pods after {RolloutDurations.Format(waited)} (Whetstone:Operator:CanaryReadyTimeout); the canary may take more than its weight's share"));
            return true;
        }

        Wait(ConditionReasons.WaitingForStable, Text(
            $"waiting for the stable track before starting canary {_status.CanaryVersion}: {ready} of {wanted} pods of {_status.StableVersion} ready ({RolloutDurations.Format(waited)} of {RolloutDurations.Format(_canaryReadyTimeout)})"));
        return false;
    }

    private void Progress()
    {
        if (!RecordMeasurements())
        {
            return;
        }

        if (IsPromoting)
        {
            FinishPromotionWhenStableReady();
            return;
        }

        if (IsPausedInconclusive)
        {
            _status.Message = Text($"step {Math.Min(Step + 1, StepCount)}/{StepCount}: paused, analysis inconclusive; {WhetstoneAnnotations.Promote}=step moves on, abort=true rolls back");
            RequeueForAnalysis();
            return;
        }

        while (Step < StepCount)
        {
            var step = Spec.Strategy.Steps[Step];
            if (step.SetWeight is { } weight ? !ApplyWeight(weight) : !Pause(step.Pause!))
            {
                RequeueForAnalysis();
                return;
            }
        }

        PromoteWhenAnalysisAllows();
    }

    private bool ApplyWeight(int weight)
    {
        if (_askedWeight != weight)
        {
            SetAskedWeight(weight);
            _status.StepStartTime = _now;
        }

        _status.Phase = RolloutPhases.Progressing;
        var replicas = ReplicasFor(Tracks.Canary);
        var wanted = IsReplicaRatio ? CanaryReplicasForRatio(replicas, weight) : replicas;
        if (IsReplicaRatio)
        {
            CheckEffectiveWeight(weight, wanted, replicas);
        }

        if (weight > 0 && (_observed.Canary.Version != _status.CanaryVersion || _observed.Canary.ReadyReplicas < wanted))
        {
            WaitForCanaryPods(weight, wanted);
            return false;
        }

        if (weight > 0)
        {
            SetCondition(Condition(ConditionTypes.CanaryReady, true, ConditionReasons.CanaryPodsReady, Text($"{_observed.Canary.ReadyReplicas} canary pods ready ({wanted} needed at {weight}%)"), Generation));
        }

        Event(false, ConditionReasons.StepAdvanced, Text($"step {Step + 1}/{StepCount}: canary weight {weight}%"));
        CompleteStep();
        return true;
    }

    // The CanaryReady condition turns false when a step starts waiting and keeps that transition time while it waits, so
    // the wait is measured from the status alone (a restarted operator measures the same).
    private void WaitForCanaryPods(int weight, int wanted)
    {
        var ready = _observed.Canary.Version == _status.CanaryVersion ? _observed.Canary.ReadyReplicas : 0;
        SetCondition(Condition(ConditionTypes.CanaryReady, false, ConditionReasons.CanaryPodsNotReady,
            Text($"step {Step + 1}/{StepCount} needs {wanted} ready canary pods at {weight}%; {ready} ready"), Generation));
        var since = ConditionList.Find(_status.Conditions, ConditionTypes.CanaryReady)?.LastTransitionTime ?? _now;
        var waited = _now - since;
        if (waited >= _canaryReadyTimeout)
        {
            RollBack(ConditionReasons.CanaryNotReady, Text(
                $"the canary had {ready} of {wanted} ready pods {RolloutDurations.Format(waited)} after step {Step + 1}/{StepCount} asked for {weight}% (the operator waits {RolloutDurations.Format(_canaryReadyTimeout)}: Whetstone:Operator:CanaryReadyTimeout); look at the canary pods' events and logs"));
            return;
        }

        _status.Message = Text($"step {Step + 1}/{StepCount}: canary at {weight}%, waiting for {wanted} ready canary pods ({ready} ready, {RolloutDurations.Format(waited)} of {RolloutDurations.Format(_canaryReadyTimeout)})");
        _requeues.Add(TimeSpan.FromTicks(Math.Min(WaitInterval.Ticks, (_canaryReadyTimeout - waited).Ticks)));
    }

    private bool Pause(PauseStep pause)
    {
        _status.PauseStartTime ??= _now;
        _status.Phase = RolloutPhases.Paused;
        SetCondition(Condition(ConditionTypes.Progressing, true, ConditionReasons.Paused, Text($"paused at step {Step + 1}/{StepCount}"), Generation));
        if (pause.Duration is null)
        {
            _status.Message = Text($"step {Step + 1}/{StepCount}: paused until promoted ({WhetstoneAnnotations.Promote}=step)");
            return false;
        }

        var duration = RolloutDurations.Parse(pause.Duration, Text($"spec.strategy.steps[{Step}].pause.duration"));
        var elapsed = _now - _status.PauseStartTime.Value;
        if (elapsed < duration)
        {
            _status.Message = Text($"step {Step + 1}/{StepCount}: paused {RolloutDurations.Format(elapsed)} of {RolloutDurations.Format(duration)}");
            _requeues.Add(duration - elapsed);
            return false;
        }

        Event(false, ConditionReasons.StepAdvanced, Text($"step {Step + 1}/{StepCount}: pause of {RolloutDurations.Format(duration)} over"));
        CompleteStep();
        return true;
    }

    // Replica-ratio routing can only give whole pods: say so when the split is more than 5 points off the asked weight.
    private void CheckEffectiveWeight(int weight, int canaryReplicas, int replicas)
    {
        var effective = (int)Math.Round(100.0 * canaryReplicas / replicas);
        var off = Math.Abs(effective - weight) > 5;
        SetCondition(Condition(ConditionTypes.WeightAccurate, !off, off ? ConditionReasons.WeightApproximated : ConditionReasons.WeightMatched,
            Text($"asked {weight}%, {canaryReplicas} of {replicas} pods give {effective}%"), Generation));
        if (off && _askedWeight == weight && _status.StepStartTime == _now)
        {
            Event(true, ConditionReasons.WeightApproximated, Text($"replicaRatio: asked {weight}% but {canaryReplicas} of {replicas} pods give {effective}%; raise spec.serving.replicas for a finer split"));
        }
    }

    private void CompleteStep()
    {
        _status.CurrentStep = Step + 1;
        _status.PauseStartTime = null;
        _status.Phase = RolloutPhases.Progressing;
        SetCondition(Condition(ConditionTypes.Progressing, true, ConditionReasons.StepAdvanced, Text($"at step {Math.Min(Step + 1, StepCount)}/{StepCount}"), Generation));
    }

    // Never promote on missing data: every metric's latest measurement must be Passed and taken at the final weight.
    private void PromoteWhenAnalysisAllows()
    {
        _status.Phase = RolloutPhases.Progressing;
        if (Spec.Strategy.Analysis is { } analysis)
        {
            var since = _status.StepStartTime ?? _status.AnalysisStartTime ?? _now;
            var undecided = analysis.Metrics
                .Where(m => _status.Analysis?.LastOrDefault(r => r.Metric == m.Name) is not { } latest
                    || latest.Verdict != AnalysisVerdicts.Passed || latest.At < since)
                .Select(m => m.Name)
                .ToList();
            if (undecided.Count > 0)
            {
                _status.Message = Text($"all {StepCount} steps done at {_askedWeight}%: waiting for {string.Join(", ", undecided)} to pass at this weight");
                RequeueForAnalysis();
                return;
            }
        }

        Event(false, ConditionReasons.Promoted, Text($"all {StepCount} steps done and every metric passed at {_askedWeight}%: promoting {_status.CanaryVersion}"));
        StartPromotion(ConditionReasons.Promoted);
    }

    private void StartPromotion(string how)
    {
        _status.Phase = RolloutPhases.Progressing;
        SetAskedWeight(100);
        _status.PauseStartTime = null;
        SetCondition(Condition(ConditionTypes.Progressing, true, ConditionReasons.Promoting, Text($"{how}: updating the stable track to {_status.CanaryVersion}"), Generation));
        FinishPromotionWhenStableReady();
    }

    // The canary takes all traffic while the stable Deployment rolls to the canary's model; then traffic returns to the
    // stable track and the canary scales down.
    private void FinishPromotionWhenStableReady()
    {
        var replicas = PromotedStableReplicas();
        if (_observed.Stable.Version != _status.CanaryVersion || _observed.Stable.ReadyReplicas < replicas)
        {
            _status.Message = Text($"promoting {_status.CanaryVersion}: canary serves 100% while the stable track updates ({_observed.Stable.ReadyReplicas}/{replicas} ready)");
            _requeues.Add(WaitInterval);
            return;
        }

        var previous = _status.StableVersion;
        _status.StableVersion = _status.CanaryVersion;
        _status.StableModel = _status.CanaryModel;
        SetAskedWeight(0);
        _status.Phase = RolloutPhases.Promoted;
        _status.PauseStartTime = null;
        _status.Message = Text($"promoted {_status.CanaryVersion} (was {previous}): it serves all traffic; {AnalysisSummary()}");
        SetCondition(Condition(ConditionTypes.Progressing, false, ConditionReasons.Promoted, _status.Message, Generation));
        Event(false, ConditionReasons.Promoted, _status.Message);
    }

    private void RollBack(string reason, string message)
    {
        _status.Phase = RolloutPhases.RolledBack;
        SetAskedWeight(0);
        _status.PauseStartTime = null;
        _status.Message = Text($"rolled back: {message}");
        SetCondition(Condition(ConditionTypes.Progressing, false, reason, _status.Message, Generation));
        Event(true, ConditionReasons.RolledBack, _status.Message);
    }

    private void Fail(string reason, string message)
    {
        _status.Phase = RolloutPhases.Failed;
        SetAskedWeight(0);
        _status.Message = message;
        SetCondition(Condition(ConditionTypes.Progressing, false, reason, message, Generation));
        Event(true, reason, message);
    }

    private void Wait(string reason, string message)
    {
        _status.Phase = RolloutPhases.Pending;
        _status.Message = message;
        SetCondition(Condition(ConditionTypes.Progressing, true, reason, message, Generation));
        _requeues.Add(WaitInterval);
    }

    private void Describe()
    {
        if (_status.Phase is null)
        {
            _status.Phase = RolloutPhases.Pending;
            StartWhenReady();
        }
    }

    private void RequeueForAnalysis()
    {
        if (Spec.Strategy.Analysis is { } analysis && _status.LastAnalysisTime is { } last)
        {
            _requeues.Add(last + Interval(analysis) - _now);
        }
        else if (Spec.Strategy.Analysis is not null)
        {
            _requeues.Add(TimeSpan.FromSeconds(1));
        }
    }

    private string AnalysisSummary()
    {
        var latest = (_status.Analysis ?? []).GroupBy(r => r.Metric).Select(g => g.Last()).ToList();
        return latest.Count == 0 ? "no analysis" : "last analysis: " + string.Join("; ", latest.Select(r => r.Message ?? Text($"{r.Metric} {r.Verdict}")));
    }
}

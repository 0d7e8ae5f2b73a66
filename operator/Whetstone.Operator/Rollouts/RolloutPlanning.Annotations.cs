using Whetstone.Api;
using static Whetstone.Operator.Rollouts.RolloutPlanner;

namespace Whetstone.Operator.Rollouts;

/// <summary>The manual controls <c>whetstone.dev/promote|abort|retry</c>: each is consumed (removed) with an event.</summary>
internal sealed partial class RolloutPlanning
{
    /// <summary>Applies the annotations present, by the transition table in docs/decisions.md.</summary>
    public void ApplyAnnotations()
    {
        var annotations = _rollout.Metadata.Annotations ?? new Dictionary<string, string>();
        var abort = annotations.TryGetValue(WhetstoneAnnotations.Abort, out var a) ? a : null;
        var promote = annotations.TryGetValue(WhetstoneAnnotations.Promote, out var p) ? p : null;
        var retry = annotations.TryGetValue(WhetstoneAnnotations.Retry, out var r) ? r : null;
        var aborting = abort is not null && IsTrue(WhetstoneAnnotations.Abort, abort);
        if (abort is not null)
        {
            _consumed.Add(WhetstoneAnnotations.Abort);
            if (aborting)
            {
                Abort();
            }
        }

        if (promote is not null)
        {
            _consumed.Add(WhetstoneAnnotations.Promote);
            if (aborting)
            {
                Event(true, ConditionReasons.Aborted, Text($"{WhetstoneAnnotations.Promote}={promote} ignored: abort wins over promotion"));
            }
            else
            {
                Promote(promote);
            }
        }

        if (retry is not null)
        {
            _consumed.Add(WhetstoneAnnotations.Retry);
            if (aborting)
            {
                Event(true, ConditionReasons.Aborted, Text($"{WhetstoneAnnotations.Retry}={retry} ignored: abort wins"));
            }
            else if (IsTrue(WhetstoneAnnotations.Retry, retry))
            {
                Retry();
            }
        }
    }

    private bool IsTrue(string key, string value)
    {
        if (value == WhetstoneAnnotations.True)
        {
            return true;
        }

        Event(true, "InvalidAnnotation", Text($"{key}={value} ignored: the only value understood is \"true\""));
        return false;
    }

    private void Abort()
    {
        if (_status.Phase is RolloutPhases.Pending or RolloutPhases.Progressing or RolloutPhases.Paused)
        {
            RollBack(ConditionReasons.Aborted, Text($"aborted by hand ({WhetstoneAnnotations.Abort}=true)"));
            return;
        }

        Event(false, ConditionReasons.Aborted, Text($"{WhetstoneAnnotations.Abort}=true ignored: the rollout is already {_status.Phase}"));
    }

    private void Promote(string value)
    {
        if (value is not (WhetstoneAnnotations.PromoteStep or WhetstoneAnnotations.PromoteFull))
        {
            Event(true, "InvalidAnnotation", Text($"{WhetstoneAnnotations.Promote}={value} ignored: use \"step\" or \"full\""));
            return;
        }

        if (_status.Phase is not (RolloutPhases.Progressing or RolloutPhases.Paused))
        {
            var why = _status.Phase == RolloutPhases.Pending
                ? "the rollout has not started (it waits for its canary model or EvaluationRun)"
                : Text($"the rollout is {_status.Phase}; use {WhetstoneAnnotations.Retry}=true to start it again");
            Event(true, ConditionReasons.ManuallyPromoted, Text($"{WhetstoneAnnotations.Promote}={value} ignored: {why}"));
            return;
        }

        if (value == WhetstoneAnnotations.PromoteFull)
        {
            Event(false, ConditionReasons.ManuallyPromoted, Text($"promoted by hand ({WhetstoneAnnotations.Promote}=full) at step {Step + 1}/{StepCount}"));
            StartPromotion(ConditionReasons.ManuallyPromoted);
            return;
        }

        if (IsPausedInconclusive)
        {
            _status.ConsecutiveInconclusive = 0;
            _status.Phase = RolloutPhases.Progressing;
            SetCondition(Condition(ConditionTypes.Progressing, true, ConditionReasons.StepAdvanced, "resumed by hand after an inconclusive analysis", Generation));
            Event(false, ConditionReasons.StepAdvanced, Text($"{WhetstoneAnnotations.Promote}=step: resumed after an inconclusive analysis"));
            return;
        }

        if (Step >= StepCount)
        {
            Event(false, ConditionReasons.ManuallyPromoted, Text($"{WhetstoneAnnotations.Promote}=step after the last step promotes"));
            StartPromotion(ConditionReasons.ManuallyPromoted);
            return;
        }

        Event(false, ConditionReasons.StepAdvanced, Text($"{WhetstoneAnnotations.Promote}=step: step {Step + 1}/{StepCount} ended by hand"));
        CompleteStep();
    }

    private void Retry()
    {
        if (_status.Phase is not (RolloutPhases.RolledBack or RolloutPhases.Failed))
        {
            Event(false, ConditionReasons.Retried, Text($"{WhetstoneAnnotations.Retry}=true ignored: only a rolled back or failed rollout is retried (this one is {_status.Phase})"));
            return;
        }

        ResetForNewAttempt();
        _status.CanaryModel = null;
        Event(false, ConditionReasons.Retried, Text($"retried by hand: canary {_status.CanaryVersion} starts again from step 1 with a fresh analysis"));
    }
}

using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Rollouts.Analysis;
using static Whetstone.Operator.Rollouts.RolloutPlanner;

namespace Whetstone.Operator.Rollouts;

/// <summary>Folding one look's measurements into status: history, counters, and the decisions they force.</summary>
internal sealed partial class RolloutPlanning
{
    /// <summary>Records this reconcile's measurements; false when they ended the rollout (rolled back).</summary>
    private bool RecordMeasurements()
    {
        var measurements = _observed.Measurements;
        if (measurements.Count == 0 || Spec.Strategy.Analysis is not { } analysis)
        {
            return true;
        }

        _status.LastAnalysisTime = _now;
        var history = _status.Analysis ?? [];
        foreach (var m in measurements)
        {
            history.Add(new AnalysisResult
            {
                Metric = m.Metric,
                Verdict = m.Verdict,
                Value = double.IsFinite(m.Value) ? m.Value : null,
                At = m.At,
                Message = m.Message,
                Query = m.Query,
            });
        }

        _status.Analysis = history.Skip(Math.Max(0, history.Count - HistoryLimit)).ToList();
        var failed = measurements.Where(m => m.Verdict == AnalysisVerdicts.Failed).ToList();
        _status.AnalysisFailures = (_status.AnalysisFailures ?? 0) + failed.Count;
        _status.ConsecutiveErrors = measurements.Any(m => m.Verdict == AnalysisVerdicts.Error) ? (_status.ConsecutiveErrors ?? 0) + 1 : 0;
        var afterLastStep = Step >= StepCount;
        var undecided = measurements.Where(m => IsDataInconclusive(m) || (afterLastStep && m.Verdict == AnalysisVerdicts.Inconclusive)).ToList();
        _status.ConsecutiveInconclusive = undecided.Count > 0 ? (_status.ConsecutiveInconclusive ?? 0) + 1 : 0;
        SetCondition(Condition(ConditionTypes.AnalysisPassing, failed.Count == 0,
            failed.Count > 0 ? ConditionReasons.AnalysisFailed : measurements.All(m => m.Verdict == AnalysisVerdicts.Passed) ? "AllPassed" : "NotAllDecided",
            string.Join("; ", measurements.Select(m => Text($"{m.Metric}: {m.Verdict} ({m.Reason})"))), Generation));

        if (_status.AnalysisFailures > (analysis.FailureLimit ?? 1))
        {
            var worst = failed.Count > 0 ? failed[0] : measurements[0];
            RollBack(ConditionReasons.AnalysisFailed, Text($"{worst.Metric} failed ({_status.AnalysisFailures} failed measurements, failureLimit {analysis.FailureLimit ?? 1}): {worst.Message}"));
            return false;
        }

        if (_status.ConsecutiveErrors > (analysis.ConsecutiveErrorLimit ?? 4))
        {
            var error = measurements.First(m => m.Verdict == AnalysisVerdicts.Error);
            RollBack(ConditionReasons.AnalysisError, Text($"{error.Metric} could not be measured {_status.ConsecutiveErrors} looks in a row (consecutiveErrorLimit {analysis.ConsecutiveErrorLimit ?? 4}): {error.Message}"));
            return false;
        }

        if (_status.ConsecutiveInconclusive > (analysis.InconclusiveLimit ?? 10) && !IsPausedInconclusive && !IsPromoting)
        {
            var which = undecided[0];
            _status.Phase = RolloutPhases.Paused;
            SetCondition(Condition(ConditionTypes.Progressing, true, ConditionReasons.AnalysisInconclusive,
                Text($"{which.Metric} undecided {_status.ConsecutiveInconclusive} looks in a row: {which.Message}"), Generation));
            Event(true, ConditionReasons.AnalysisInconclusive, Text($"paused for a person: {which.Metric} undecided {_status.ConsecutiveInconclusive} looks in a row ({which.Reason}); {WhetstoneAnnotations.Promote}=step moves on, {WhetstoneAnnotations.Abort}=true rolls back"));
        }

        return true;
    }
}

namespace Whetstone.ML.Monitoring;

/// <summary>The loss monitor's decision after one observation, with the numbers that decided it.</summary>
/// <param name="Kind">Continue, EarlyStopped or Diverged.</param>
/// <param name="Step">The step whose loss led to this verdict.</param>
/// <param name="Loss">The loss observed at that step.</param>
/// <param name="BestLoss">The best loss of the same kind before this observation, or null if there was none.</param>
/// <param name="Message">A sentence for humans explaining the verdict.</param>
public sealed record MonitorVerdict(MonitorVerdictKind Kind, long Step, double Loss, double? BestLoss, string Message)
{
    /// <summary>True when training should stop.</summary>
    public bool ShouldStop => Kind != MonitorVerdictKind.Continue;

    internal static MonitorVerdict Continue(long step, double loss, double? best) => new(MonitorVerdictKind.Continue, step, loss, best, "");
}

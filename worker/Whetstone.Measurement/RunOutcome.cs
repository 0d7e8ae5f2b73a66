namespace Whetstone.Measurement;

/// <summary>What one measured call did, for throughput figures.</summary>
/// <param name="Items">Items handled (rows, sequences); counts toward items/s.</param>
/// <param name="Tokens">Tokens handled or generated; counts toward tokens/s (0 when not a token workload).</param>
/// <param name="TimeToFirstToken">Time until the first generated token, when the call generates.</param>
public sealed record RunOutcome(long Items, long Tokens = 0, TimeSpan? TimeToFirstToken = null);

namespace Whetstone.Evaluation.Gates;

/// <summary>What a gate decided, with the numbers that decided it.</summary>
/// <param name="Gate">The gate.</param>
/// <param name="Value">The compared quantity: the value for min/max, the regression (baseline − value, or value − baseline for latencies) for maxRegression.</param>
/// <param name="Threshold">The threshold it was compared with.</param>
/// <param name="Passed">Whether the gate passed.</param>
/// <param name="PValue">For significant gates: the Holm-adjusted p-value; else null.</param>
/// <param name="Message">The decision in words.</param>
public sealed record GateOutcome(GateSpec Gate, double? Value, double? Threshold, bool Passed, double? PValue, string Message);

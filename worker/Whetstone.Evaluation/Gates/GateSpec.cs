namespace Whetstone.Evaluation.Gates;

/// <summary>A gate as the spec writes it (api.md EvaluationGate).</summary>
public sealed record GateSpec(string Suite, string Metric, double? Min = null, double? Max = null, double? MaxRegression = null, GateDecision Decision = GateDecision.PointEstimate);

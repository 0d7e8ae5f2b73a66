namespace Whetstone.Evaluation.Gates;

/// <summary>The API spelling of <see cref="GateDecision"/> (api.md EvaluationGate.decision).</summary>
public static class GateDecisionNames
{
    /// <summary>pointEstimate, significant or nonInferior.</summary>
    public static string ToName(this GateDecision decision) => decision switch
    {
        GateDecision.Significant => "significant",
        GateDecision.NonInferior => "nonInferior",
        _ => "pointEstimate",
    };

    /// <summary>The decision named <paramref name="name"/>; null or empty is pointEstimate.</summary>
    /// <exception cref="ArgumentException">An unknown name.</exception>
    public static GateDecision Parse(string? name) => name switch
    {
        null or "" or "pointEstimate" => GateDecision.PointEstimate,
        "significant" => GateDecision.Significant,
        "nonInferior" => GateDecision.NonInferior,
        _ => throw new ArgumentException($"unknown gate decision '{name}' (pointEstimate, significant or nonInferior)", nameof(name)),
    };
}

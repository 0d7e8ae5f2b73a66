namespace Whetstone.Evaluation.Gates;

/// <summary>How a gate turns measurements into pass or fail.</summary>
public enum GateDecision
{
    /// <summary>Fails when the point estimate crosses the threshold (the default).</summary>
    PointEstimate,

    /// <summary>Fails only when the estimate crosses the threshold and that is significant at α = 0.05 after Holm's correction across the run's significant gates.</summary>
    Significant,

    /// <summary>Fails unless the 95 % interval's unfavourable bound clears the threshold.</summary>
    NonInferior,
}

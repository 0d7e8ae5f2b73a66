namespace Whetstone.Api.V1Alpha1;

/// <summary>The outcome of one gate.</summary>
public sealed record GateResult
{
    /// <summary>Name of the suite.</summary>
    public string? Suite { get; set; }

    /// <summary>Metric name.</summary>
    public string? Metric { get; set; }

    /// <summary>The measured value (for maxRegression: the regression).</summary>
    public double? Value { get; set; }

    /// <summary>The threshold it was compared with.</summary>
    public double? Threshold { get; set; }

    /// <summary>The decision rule applied: pointEstimate, significant or nonInferior.</summary>
    public string? Decision { get; set; }

    /// <summary>For significant gates: the Holm-adjusted p-value.</summary>
    public double? PValue { get; set; }

    /// <summary>Whether the gate passed.</summary>
    public bool? Passed { get; set; }

    /// <summary>Human explanation, such as "accuracy 0.86 ≥ 0.8".</summary>
    public string? Message { get; set; }
}

namespace Whetstone.Api.V1Alpha1;

/// <summary>One measured metric of one suite.</summary>
public sealed record SuiteScore
{
    /// <summary>Name of the suite.</summary>
    public string? Suite { get; set; }

    /// <summary>Metric name.</summary>
    public string? Metric { get; set; }

    /// <summary>The evaluated model's value.</summary>
    public double? Value { get; set; }

    /// <summary>The baseline's value.</summary>
    public double? Baseline { get; set; }

    /// <summary>value − baseline.</summary>
    public double? Delta { get; set; }

    /// <summary>Records scored.</summary>
    public long? Samples { get; set; }
}

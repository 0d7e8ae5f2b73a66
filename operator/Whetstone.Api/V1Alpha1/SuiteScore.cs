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

    /// <summary>Lower end of the 95 % paired bootstrap interval of the delta.</summary>
    public double? DeltaLower { get; set; }

    /// <summary>Upper end of the 95 % paired bootstrap interval of the delta.</summary>
    public double? DeltaUpper { get; set; }

    /// <summary>McNemar's two-sided p-value (exact below 25 discordant pairs), for per-item correctness metrics.</summary>
    public double? PValue { get; set; }

    /// <summary>The smallest change this test set detects with 80 % power at α = 0.05.</summary>
    public double? MinimumDetectableDelta { get; set; }

    /// <summary>all (the full set) or clean (contaminated records left out).</summary>
    public string? Subset { get; set; }

    /// <summary>Records scored.</summary>
    public long? Samples { get; set; }
}

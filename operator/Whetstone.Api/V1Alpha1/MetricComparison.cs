using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>
/// Compare a success rate between canary and stable (north-star metrics). <c>{{track}}</c> in the queries is replaced
/// by <c>canary</c> and <c>stable</c>; <c>{{rollout}}</c> by the rollout's name.
/// </summary>
public sealed record MetricComparison
{
    /// <summary>PromQL counting successes of one track.</summary>
    [Required]
    [Length(Min = 1, Max = 4096)]
    public string SuccessQuery { get; set; } = "";

    /// <summary>PromQL counting all attempts of one track.</summary>
    [Required]
    [Length(Min = 1, Max = 4096)]
    public string TotalQuery { get; set; } = "";

    /// <summary>Statistical test: twoProportionZ (one-sided: the canary is not worse than the stable).</summary>
    [DefaultValue(StatisticalTests.TwoProportionZ)]
    [Enum(StatisticalTests.TwoProportionZ)]
    public string? Test { get; set; }

    /// <summary>Largest tolerated relative drop of the canary's rate versus the stable's.</summary>
    [Range(Minimum = 0, Maximum = 1)]
    [DefaultValue(0.02)]
    public double? MaxRelativeDrop { get; set; }

    /// <summary>Confidence required to call the canary worse.</summary>
    [Range(Minimum = 0.5, Maximum = 1, ExclusiveMaximum = true)]
    [DefaultValue(0.95)]
    public double? Confidence { get; set; }

    /// <summary>Attempts each track needs before the test decides (Inconclusive until then).</summary>
    [Range(Minimum = 1)]
    [DefaultValue(500)]
    public long? MinSamples { get; set; }
}

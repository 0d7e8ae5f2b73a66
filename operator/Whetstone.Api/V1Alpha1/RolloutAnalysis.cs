using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>Metrics checked during the whole rollout; too many failures roll the canary back.</summary>
public sealed record RolloutAnalysis
{
    /// <summary>How often the metrics are measured (such as <c>1m</c>).</summary>
    [DefaultValue("1m")]
    [Pattern(Patterns.Duration)]
    public string? Interval { get; set; }

    /// <summary>Where the queries go.</summary>
    [Required]
    public PrometheusSource Prometheus { get; set; } = new();

    /// <summary>Failed measurements (of any metric) tolerated; one more rolls back.</summary>
    [Range(Minimum = 0, Maximum = 100)]
    [DefaultValue(1)]
    public int? FailureLimit { get; set; }

    /// <summary>
    /// Looks in a row whose data leave a metric undecided (empty vector, NaN, or a comparison still undecided after the
    /// last step) tolerated; one more pauses the rollout for a person (promote=step moves on).
    /// </summary>
    [Range(Minimum = 0, Maximum = 1000)]
    [DefaultValue(10)]
    public int? InconclusiveLimit { get; set; }

    /// <summary>Looks in a row with a query error (Prometheus unreachable, bad query) tolerated; one more rolls back.</summary>
    [Range(Minimum = 0, Maximum = 1000)]
    [DefaultValue(4)]
    public int? ConsecutiveErrorLimit { get; set; }

    /// <summary>The metrics, unique by name.</summary>
    [Required]
    [Items(Min = 1, Max = 32)]
    [ListMapKeys("name")]
    public IList<AnalysisMetric> Metrics { get; set; } = [];
}

using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>The Prometheus server analysis queries go to.</summary>
public sealed record PrometheusSource
{
    /// <summary>Base URL, such as <c>http://prometheus.monitoring:9090</c>.</summary>
    [Required]
    [Length(Max = 2048)]
    [Pattern(Patterns.HttpUrl)]
    public string Address { get; set; } = "";
}

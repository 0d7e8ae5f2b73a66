using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>One metric watched during the rollout: a threshold query, or a canary-versus-stable comparison.</summary>
[CelRule("(has(self.query) ? 1 : 0) + (has(self.compare) ? 1 : 0) == 1",
    Message = "exactly one of query or compare must be set", Order = 0)]
[CelRule("!has(self.query) || has(self.min) || has(self.max)",
    Message = "a query needs min or max", Order = 1)]
public sealed record AnalysisMetric
{
    /// <summary>Name of the metric, unique in the analysis.</summary>
    [Required]
    [Length(Min = 1, Max = 63)]
    [Pattern(Patterns.Dns1123Label)]
    public string Name { get; set; } = "";

    /// <summary>PromQL returning one number; <c>{{rollout}}</c> and <c>{{track}}</c> are replaced.</summary>
    [Length(Min = 1, Max = 4096)]
    public string? Query { get; set; }

    /// <summary>The query's value must be at least this.</summary>
    public double? Min { get; set; }

    /// <summary>The query's value must be at most this.</summary>
    public double? Max { get; set; }

    /// <summary>Compare canary and stable.</summary>
    public MetricComparison? Compare { get; set; }
}

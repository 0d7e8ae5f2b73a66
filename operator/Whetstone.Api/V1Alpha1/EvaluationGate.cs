using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>A threshold on one metric of one suite; the verdict is Passed only when every gate passes.</summary>
[CelRule("has(self.min) || has(self.max) || has(self.maxRegression)",
    Message = "a gate needs at least one of min, max or maxRegression")]
public sealed record EvaluationGate
{
    /// <summary>Name of the suite.</summary>
    [Required]
    [Length(Min = 1, Max = 63)]
    public string Suite { get; set; } = "";

    /// <summary>Metric name: accuracy, precision, recall, f1, map, map50, exactMatch, score, score.&lt;category&gt;, latencyP50Ms, latencyP95Ms, latencyP99Ms or throughputPerSecond.</summary>
    [Required]
    [Pattern(Patterns.EvaluationMetric)]
    public string Metric { get; set; } = "";

    /// <summary>The value must be at least this.</summary>
    public double? Min { get; set; }

    /// <summary>The value must be at most this.</summary>
    public double? Max { get; set; }

    /// <summary>The value may be at most this much worse than the baseline's (absolute; needs spec.baseline).</summary>
    [Range(Minimum = 0)]
    public double? MaxRegression { get; set; }

    /// <summary>pointEstimate (default: fails when the estimate crosses the threshold), significant (fails only when the violation is significant at 0.05, Holm-corrected across the run's significant gates) or nonInferior (fails unless the 95 % interval's unfavourable bound clears the threshold).</summary>
    [Enum("pointEstimate", "significant", "nonInferior")]
    public string? Decision { get; set; }
}

using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>One measurement of one analysis metric.</summary>
public sealed record AnalysisResult
{
    /// <summary>Name of the metric.</summary>
    public string? Metric { get; set; }

    /// <summary>The measured value (for a comparison: the canary's relative drop versus the stable).</summary>
    public double? Value { get; set; }

    /// <summary>Passed, Failed, Inconclusive or Error.</summary>
    [Enum(AnalysisVerdicts.Passed, AnalysisVerdicts.Failed, AnalysisVerdicts.Inconclusive, AnalysisVerdicts.Error)]
    public string? Verdict { get; set; }

    /// <summary>When it was measured.</summary>
    public DateTime? At { get; set; }

    /// <summary>Details: the rates and samples of a comparison, or the query error.</summary>
    public string? Message { get; set; }

    /// <summary>The query sent, placeholders resolved (for a comparison, the canary's success query).</summary>
    [Length(Max = 4096)]
    public string? Query { get; set; }
}

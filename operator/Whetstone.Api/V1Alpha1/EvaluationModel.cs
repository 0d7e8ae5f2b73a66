using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>A model to evaluate (or to compare with): a <see cref="ModelSource"/> plus how the report names it.</summary>
public sealed record EvaluationModel : ModelSource
{
    /// <summary>Display name in the report and metrics (such as <c>support-bot</c>).</summary>
    [Length(Max = 253)]
    public string? Name { get; set; }

    /// <summary>Version shown in the report (such as <c>1.3.0</c>).</summary>
    [Length(Max = 63)]
    [Pattern(Patterns.LabelValue)]
    public string? Version { get; set; }

    /// <summary>Who produced the model (such as <c>acme</c>).</summary>
    [Length(Max = 253)]
    public string? Vendor { get; set; }
}

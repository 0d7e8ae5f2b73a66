using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>Low-rank adapter settings.</summary>
public sealed record LoraConfig
{
    /// <summary>The default of <see cref="Rank"/>, the CRD default and the worker's.</summary>
    public const int DefaultRank = 8;

    /// <summary>The default of <see cref="Alpha"/>, the CRD default and the worker's.</summary>
    public const int DefaultAlpha = 16;

    /// <summary>The default of <see cref="Dropout"/>, the CRD default and the worker's.</summary>
    public const double DefaultDropout = 0.05;

    /// <summary>Rank of the adapter matrices.</summary>
    [Range(Minimum = 1, Maximum = 1024)]
    [DefaultValue(DefaultRank)]
    public int? Rank { get; set; }

    /// <summary>Scaling numerator; the update is scaled by alpha / rank.</summary>
    [Range(Minimum = 0, ExclusiveMinimum = true)]
    [DefaultValue(DefaultAlpha)]
    public double? Alpha { get; set; }

    /// <summary>Dropout on the adapter input.</summary>
    [Range(Minimum = 0, Maximum = 1, ExclusiveMaximum = true)]
    [DefaultValue(DefaultDropout)]
    public double? Dropout { get; set; }

    /// <summary>Names of the linear modules that get adapters (such as <c>q_proj</c>, <c>v_proj</c>); omitted: the attention query and value projections.</summary>
    [ListSet]
    [Items(Min = 1, Max = 64)]
    [Pattern(Patterns.ModuleName)]
    public IList<string>? TargetModules { get; set; }
}

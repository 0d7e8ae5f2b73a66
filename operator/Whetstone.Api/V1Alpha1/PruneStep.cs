using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>Remove a fraction of the weights.</summary>
public sealed record PruneStep
{
    /// <summary>How weights are chosen: magnitude.</summary>
    [DefaultValue(PruneMethods.Magnitude)]
    [Enum(PruneMethods.Magnitude)]
    public string? Method { get; set; }

    /// <summary>Fraction of the weights of each linear layer set to zero.</summary>
    [Required]
    [Range(Minimum = 0, Maximum = 1, ExclusiveMaximum = true)]
    public double? Sparsity { get; set; }

    /// <summary>True removes whole rows (output channels) so the layers actually shrink; false zeroes single weights.</summary>
    [DefaultValue(false)]
    public bool? Structured { get; set; }

    /// <summary>Optional recovery fine-tune of the pruned model.</summary>
    public PruneRecovery? Recovery { get; set; }
}

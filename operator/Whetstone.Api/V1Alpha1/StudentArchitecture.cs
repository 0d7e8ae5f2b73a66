using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>The shape of a smaller student model built from the teacher's configuration.</summary>
[CelRule("!has(self.hiddenSize) || !has(self.heads) || self.hiddenSize % self.heads == 0",
    Message = "hiddenSize must be divisible by heads (each head gets hiddenSize / heads dimensions)", FieldPath = ".hiddenSize")]
public sealed record StudentArchitecture
{
    /// <summary>Number of transformer layers (initialized from evenly spaced teacher layers where shapes allow).</summary>
    [Required]
    [Range(Minimum = 1, Maximum = 512)]
    public int? Layers { get; set; }

    /// <summary>Hidden size; omitted: the teacher's.</summary>
    [Range(Minimum = 8, Maximum = 65536)]
    public int? HiddenSize { get; set; }

    /// <summary>Attention heads; omitted: the teacher's, or fewer so hiddenSize stays divisible.</summary>
    [Range(Minimum = 1, Maximum = 1024)]
    public int? Heads { get; set; }
}

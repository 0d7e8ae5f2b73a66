using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>Store weights (and, when static, activations) in fewer bits.</summary>
[CelRule("!has(self.mode) || self.mode == 'dynamic' || !has(self.type) || self.type == 'int8'",
    Message = "static mode is only supported for type int8", FieldPath = ".mode")]
public sealed record QuantizeStep
{
    /// <summary>int8 or fp16.</summary>
    [Required]
    [Enum(QuantizationTypes.Int8, QuantizationTypes.Fp16)]
    public string Type { get; set; } = "";

    /// <summary>dynamic, or static (activation ranges from calibrationDataset).</summary>
    [DefaultValue(QuantizationModes.Dynamic)]
    [Enum(QuantizationModes.Dynamic, QuantizationModes.Static)]
    public string? Mode { get; set; }

    /// <summary>One scale per output channel instead of one per tensor.</summary>
    [DefaultValue(true)]
    public bool? PerChannel { get; set; }
}

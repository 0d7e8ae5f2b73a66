using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>How the model is adapted: LoRA adapters (the default) or a full fine-tune.</summary>
[CelRule("!has(self.lora) || !has(self.type) || self.type == 'LoRA'",
    Message = "lora is only allowed when type is LoRA", FieldPath = ".lora")]
public sealed record FineTuneMethod
{
    /// <summary>LoRA or Full.</summary>
    [DefaultValue(FineTuneMethods.LoRA)]
    [Enum(FineTuneMethods.LoRA, FineTuneMethods.Full)]
    public string? Type { get; set; }

    /// <summary>LoRA settings (type LoRA only).</summary>
    public LoraConfig? Lora { get; set; }
}

using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>Convert the model to another format.</summary>
public sealed record ConvertStep
{
    /// <summary>Target format: onnx.</summary>
    [Required]
    [Enum(ConversionFormats.Onnx)]
    public string Format { get; set; } = "";

    /// <summary>ONNX opset version.</summary>
    [Range(Minimum = 13, Maximum = 23)]
    [DefaultValue(17)]
    public int? Opset { get; set; }
}

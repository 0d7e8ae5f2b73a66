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

    /// <summary>
    /// Static mode: how activation ranges are read from the calibration outputs: minMax (smallest and largest value)
    /// or percentile (0.01th and 99.99th percentiles, so a few outliers do not stretch the scale).
    /// </summary>
    [DefaultValue("minMax")]
    [Enum("minMax", "percentile")]
    public string? CalibrationMethod { get; set; }

    /// <summary>
    /// Layers kept in FP32: glob patterns (<c>*</c>, <c>?</c>) over weight initializer or node names of the ONNX graph,
    /// for example <c>model.layers.0.*</c> or <c>lm_head*</c>. Default none: every MatMul with a stored weight is
    /// quantized, and alignment's fallback adds layers here by itself when asked to.
    /// </summary>
    [Items(Max = 256)]
    public IList<string>? Exclude { get; set; }

    /// <summary>
    /// Also store embedding tables (Gather weights) in int8, one scale per row, dequantized before the lookup
    /// (weight-only: smaller, not faster). Default true: a small model's embedding is a large share of its size.
    /// </summary>
    [DefaultValue(true)]
    public bool? QuantizeEmbeddings { get; set; }
}

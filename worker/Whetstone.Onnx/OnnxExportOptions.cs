namespace Whetstone.Onnx;

/// <summary>How to export a model to ONNX.</summary>
/// <param name="Opset">Default-domain opset (17 unless asked otherwise; 13 is the lowest the graphs use).</param>
/// <param name="IncludePast">Language models: add <c>past_key_values.N.key/value</c> inputs and <c>present.N.key/value</c>
/// outputs, so the one graph serves a full forward (past length 0) and cached generation.</param>
/// <param name="ExternalDataThresholdBytes">When the weights add up to more than this, they go to <c>model.onnx.data</c>
/// beside the graph (protobuf files cannot pass 2 GB).</param>
public sealed record OnnxExportOptions(int Opset = 17, bool IncludePast = true, long ExternalDataThresholdBytes = 1L << 31);

using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Whetstone.Compression.Quantization;

/// <summary>
/// INT8 static quantization as QDQ on the ONNX graph: each quantizable MatMul / Gemm reads
/// <c>DequantizeLinear(QuantizeLinear(x, s_x, z_x))</c> with the activation's scale and zero point fixed from
/// calibration (uint8, asymmetric: s = (max − min) / 255, z = round(−min / s)), and
/// <c>DequantizeLinear(W_q, s_w, 0, axis)</c> for its int8 weight. ONNX Runtime fuses the QDQ pairs into integer
/// kernels where it supports the pattern and otherwise computes the dequantized values in FP32 (correct, not faster).
/// </summary>
public static class Int8StaticQuantizer
{
    /// <summary>Quantizes a copy of <paramref name="model"/> with the calibrated <paramref name="activationRanges"/>.</summary>
    public static QuantizedGraph Quantize(ModelProto model, QuantizationOptions options, IReadOnlyDictionary<string, (float Min, float Max)> activationRanges)
    {
        ArgumentNullException.ThrowIfNull(activationRanges);
        return Int8DynamicQuantizer.Rewrite(model, options, activationRanges);
    }

    /// <summary>uint8 scale and zero point of a range (0 always inside it); a zero-width range gets scale 1.</summary>
    public static (float Scale, byte ZeroPoint) ScaleAndZeroPoint(float min, float max)
    {
        min = Math.Min(0, min);
        max = Math.Max(0, max);
        var scale = max > min ? (max - min) / 255f : 1f;
        return (scale, (byte)Math.Clamp(Math.Round(-min / scale, MidpointRounding.ToEven), 0, 255));
    }

    internal static IEnumerable<NodeProto> QdqMatMul(GraphProto graph, NodeProto node, (string Codes, string Scale) weight, (float Min, float Max) range)
    {
        var output = node.Output[0];
        var prefix = output + "_qdq";
        var (scale, zeroPoint) = ScaleAndZeroPoint(range.Min, range.Max);
        graph.Initializer.Add(OnnxModels.Floats(prefix + "_x_scale", [scale]));
        var zero = new TensorProto { Name = prefix + "_x_zero_point", DataType = (int)DataType.Uint8, RawData = Google.Protobuf.ByteString.CopyFrom(zeroPoint) };
        graph.Initializer.Add(zero);
        var codes = graph.Initializer.First(t => t.Name == weight.Codes);
        var weightZero = weight.Codes + "_zero_point";
        var scaleTensor = graph.Initializer.First(t => t.Name == weight.Scale);
        var perChannel = scaleTensor.Dims.Count == 1;
        if (!graph.Initializer.Any(t => t.Name == weightZero))
        {
            graph.Initializer.Add(perChannel
                ? OnnxModels.Int8s(weightZero, new sbyte[codes.Dims[1]], codes.Dims[1])
                : OnnxModels.Int8s(weightZero, [0]));
        }
        yield return Int8DynamicQuantizer.Node("QuantizeLinear", prefix + "/QuantizeLinear", [node.Input[0], prefix + "_x_scale", prefix + "_x_zero_point"], [prefix + "_x_q"]);
        yield return Int8DynamicQuantizer.Node("DequantizeLinear", prefix + "/DequantizeLinear", [prefix + "_x_q", prefix + "_x_scale", prefix + "_x_zero_point"], [prefix + "_x"]);
        var dequantizeWeight = Int8DynamicQuantizer.Node("DequantizeLinear", prefix + "/DequantizeWeight", [weight.Codes, weight.Scale, weightZero], [prefix + "_w"]);
        if (perChannel)
        {
            dequantizeWeight.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        }
        yield return dequantizeWeight;
        var hasBias = node.OpType == "Gemm" && node.Input.Count > 2 && node.Input[2].Length > 0;
        var product = hasBias ? output + "_matmul" : output;
        yield return Int8DynamicQuantizer.Node("MatMul", prefix + "/MatMul", [prefix + "_x", prefix + "_w"], [product]);
        if (hasBias)
        {
            yield return Int8DynamicQuantizer.Node("Add", prefix + "/Bias", [product, node.Input[2]], [output]);
        }
    }
}

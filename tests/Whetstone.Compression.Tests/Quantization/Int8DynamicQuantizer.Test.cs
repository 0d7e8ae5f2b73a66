using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Whetstone.Compression.Quantization;
using Whetstone.Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Whetstone.Compression.Tests.Quantization;

public sealed class Int8DynamicQuantizerTest
{
    private const int Rows = 5;
    private const int Inner = 24;
    private const int Columns = 7;

    // The reference: numpy (Debian's python3-numpy, not the pyenv python) computes the same quantization independently.
    private const string NumpyReference = """
        import sys, numpy as np
        d = sys.argv[1]
        w = np.fromfile(d + "/w.bin", dtype=np.float32).reshape(24, 7)
        x = np.fromfile(d + "/x.bin", dtype=np.float32).reshape(5, 24)
        scale = (np.abs(w).max(axis=0) / np.float32(127)).astype(np.float32)
        codes = np.clip(np.round(w / scale), -127, 127).astype(np.int8)
        # DynamicQuantizeLinear as the ONNX spec defines it: range includes 0, uint8, zero point rounded half to even
        lo, hi = min(np.float32(0), x.min()), max(np.float32(0), x.max())
        x_scale = np.float32((hi - lo) / np.float32(255))
        zp = np.clip(np.round(-lo / x_scale), 0, 255).astype(np.int32)
        xq = np.clip(np.round(x / x_scale) + zp, 0, 255).astype(np.int32)
        acc = (xq - zp) @ codes.astype(np.int32)
        y = acc.astype(np.float32) * (x_scale * scale)
        scale.tofile(d + "/scale.ref"); codes.tofile(d + "/codes.ref"); y.tofile(d + "/y.ref")
        """;

    [Fact]
    public void Scales_codes_and_the_quantized_matmul_run_by_onnx_runtime_equal_a_numpy_computation()
    {
        using var directory = new TemporaryDirectory();
        var random = new Random(7);
        var weights = Enumerable.Range(0, Inner * Columns).Select(_ => (float)(random.NextDouble() * 2 - 1) * 0.3f).ToArray();
        weights[3 * Columns + 2] = 2.5f; // an outlier in column 2: its scale, not the others', grows
        var inputs = Enumerable.Range(0, Rows * Inner).Select(_ => (float)(random.NextDouble() * 3 - 1)).ToArray();
        File.WriteAllBytes(directory.File("w.bin"), MemoryMarshal.AsBytes(weights.AsSpan()).ToArray());
        File.WriteAllBytes(directory.File("x.bin"), MemoryMarshal.AsBytes(inputs.AsSpan()).ToArray());
        RunNumpy(directory);

        var (codes, scales) = SymmetricInt8.QuantizePerColumn(weights, Inner, Columns);
        Assert.Equal(Floats(directory.File("scale.ref")), scales);
        Assert.Equal(File.ReadAllBytes(directory.File("codes.ref")).Select(b => (sbyte)b), codes);

        var graph = new OnnxGraphBuilder("one_matmul");
        var x = graph.Input("x", DataType.Float, (long)Rows, (long)Inner);
        graph.Output("y", graph.Op("MatMul", x, graph.Weight("layer.weight", weights, Inner, Columns)), DataType.Float, (long)Rows, (long)Columns);
        var quantized = Int8DynamicQuantizer.Quantize(graph.Build(17, "test"), QuantizationOptions.Default);
        Assert.Equal(["layer.weight"], quantized.Quantized);
        Assert.Contains(quantized.Model.Graph.Node, n => n.OpType == "MatMulInteger");
        Assert.DoesNotContain(quantized.Model.Graph.Initializer, t => t.Name == "layer.weight");
        OnnxModelFiles.Write(quantized.Model, directory.File("model"), 1L << 31);

        using var session = new InferenceSession(Path.Combine(directory.File("model"), OnnxModelFiles.ModelFileName));
        using var input = OrtValue.CreateTensorValueFromMemory(inputs, [Rows, Inner]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["x"], [input], ["y"]);
        var actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        var expected = Floats(directory.File("y.ref"));
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i])), $"y[{i}]: ONNX Runtime {actual[i]}, numpy {expected[i]}");
        }
    }

    [Fact]
    public void Excluded_layers_stay_float_and_embeddings_become_int8_rows()
    {
        var graph = new OnnxGraphBuilder("two_layers");
        var ids = graph.Input("ids", DataType.Int64, 1L, 3L);
        var table = graph.Weight("embed.weight", [.. Enumerable.Range(0, 40).Select(i => i * 0.01f)], 10, 4);
        var first = graph.Op("MatMul", graph.Op("Gather", table, ids), graph.Weight("a.weight", new float[16], 4, 4));
        graph.Output("y", graph.Op("MatMul", first, graph.Weight("b.weight", new float[16], 4, 4)), DataType.Float, 1L, 3L, 4L);

        var quantized = Int8DynamicQuantizer.Quantize(graph.Build(17, "test"), new QuantizationOptions(["b.*"]));

        Assert.Equal(["a.weight"], quantized.Quantized);
        Assert.Equal(["b.weight"], quantized.Excluded);
        Assert.Equal(["embed.weight"], quantized.WeightOnly);
        var initializers = quantized.Model.Graph.Initializer.ToDictionary(t => t.Name);
        Assert.Equal((int)DataType.Int8, initializers["embed.weight_quantized"].DataType);
        Assert.Equal(10, initializers["embed.weight_scale"].Dims[0]);
        Assert.Equal((int)DataType.Float, initializers["b.weight"].DataType);
    }

    private static float[] Floats(string path) => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray();

    private static void RunNumpy(TemporaryDirectory directory)
    {
        var script = directory.File("reference.py");
        File.WriteAllText(script, NumpyReference);
        using var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", [script, directory.Path]) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, string.Create(CultureInfo.InvariantCulture, $"numpy reference failed ({process.ExitCode}): {error}"));
    }
}

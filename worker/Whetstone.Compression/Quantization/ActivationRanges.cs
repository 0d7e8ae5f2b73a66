using Whetstone.Compression.Alignment;

namespace Whetstone.Compression.Quantization;

/// <summary>
/// Observes the inputs of every quantizable MatMul / Gemm of an FP32 ONNX model on calibration records (run in ONNX
/// Runtime with those tensors added as graph outputs) and turns them into ranges.
/// </summary>
public static class ActivationRanges
{
    /// <summary>Calibration sequences (language models) or all rows (classifiers).</summary>
    public const int CalibrationSequences = 32;

    /// <summary>The percentile used by <see cref="CalibrationMethod.Percentile"/> (and its mirror at the low end).</summary>
    public const double Percentile = 99.99;

    /// <summary>Range (min, max) per activation tensor of <paramref name="directory"/>'s model.</summary>
    public static IReadOnlyDictionary<string, (float Min, float Max)> Collect(string directory, EvaluationSet calibration, CalibrationMethod method, string scratch)
    {
        var model = OnnxModels.Load(directory);
        var initializers = model.Graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var graphInputs = model.Graph.Input.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var tensors = model.Graph.Node
            .Where(n => n.OpType is "MatMul" or "Gemm" && n.Input.Count > 1 && initializers.Contains(n.Input[1]))
            .Select(n => n.Input[0]).Distinct(StringComparer.Ordinal).ToList();
        var path = LayerComparison.WithOutputs(model, [.. tensors.Where(t => !graphInputs.Contains(t))], scratch);
        var feeds = LayerComparison.ProbeFeeds(model, directory, calibration, CalibrationSequences);
        // Graph inputs (a classifier's features) are fetched from the feeds themselves.
        var fetched = LayerComparison.Run(path, feeds, [.. tensors.Where(t => !graphInputs.Contains(t))]);
        var ranges = new Dictionary<string, (float, float)>(StringComparer.Ordinal);
        var index = 0;
        foreach (var tensor in tensors)
        {
            var values = graphInputs.Contains(tensor) ? [.. feeds.SelectMany(f => f[tensor].Floats ?? [])] : fetched[index++];
            ranges[tensor] = RangeOf(values, method);
        }
        return ranges;
    }

    /// <summary>The range of <paramref name="values"/> by <paramref name="method"/>, widened to include 0.</summary>
    public static (float Min, float Max) RangeOf(float[] values, CalibrationMethod method)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 0)
        {
            return (0, 0);
        }
        if (method == CalibrationMethod.MinMax)
        {
            return (Math.Min(0, values.Min()), Math.Max(0, values.Max()));
        }
        var sorted = (float[])values.Clone();
        Array.Sort(sorted);
        float At(double percentile) => sorted[(int)Math.Clamp(Math.Round(percentile / 100 * (sorted.Length - 1)), 0, sorted.Length - 1)];
        return (Math.Min(0, At(100 - Percentile)), Math.Max(0, At(Percentile)));
    }
}

using Whetstone.Api.V1Alpha1;
using Whetstone.Compression.Alignment;
using Whetstone.Datasets;
using Whetstone.Onnx;
using Xunit.Abstractions;

namespace Whetstone.Compression.Tests.Alignment;

/// <summary>
/// A quantization that breaks alignment on purpose: one weight of one projection is made 400x larger than the
/// layer's largest, and the quantize step asks for one scale per tensor, so that layer's other weights collapse to a
/// few codes. Layer-by-layer comparison must find it; fallback must keep it in FP32 and end aligned.
/// </summary>
public sealed class FallbackTest(ITestOutputHelper output)
{
    private const string DamagedLayer = "model.layers.1.mlp.up_proj.weight.T";

    private static CompressionStep PerTensorInt8 => new() { Quantize = new QuantizeStep { Type = "int8", PerChannel = false, QuantizeEmbeddings = false } };

    [Fact]
    public void A_broken_layer_fails_alignment_naming_it_and_fallback_keeps_it_in_fp32_until_aligned()
    {
        using var work = new TemporaryDirectory();
        var source = WithOutlier(work);
        var set = EvaluationSet.Read(RepositoryFiles.MultipleChoice, DatasetFormat.MultipleChoice, maxRecords: 12);

        var failing = new CompressionPipeline(new CompressionPlan([PerTensorInt8], "accuracy", 1.0, 0.998, Fallback: false, MaxFallbackTries: 3),
            set, work.File("fail"), new RecordingObserver(output)).Run(source);

        Assert.False(failing.Aligned);
        Assert.True(failing.Alignment.Cosine < 0.998, $"cosine {failing.Alignment.Cosine}");
        Assert.Equal(DamagedLayer, failing.WorstLayers(1)[0].Layer);
        // Every MatMul: 28 projections (all quantized), 8 attention products and the tied lm_head (activations, kept float).
        Assert.Equal(37, failing.Layers.Count);
        Assert.Equal(28, failing.Layers.Count(l => l.Compressed));
        Assert.Empty(failing.Tries);

        var repaired = new CompressionPipeline(new CompressionPlan([PerTensorInt8], "accuracy", 1.0, 0.998, Fallback: true, MaxFallbackTries: 3),
            set, work.File("fallback"), new RecordingObserver(output)).Run(source);

        Assert.True(repaired.Aligned, $"cosine {repaired.Alignment.Cosine}");
        Assert.Equal(DamagedLayer, repaired.KeptInFloat[0]);
        Assert.Equal(repaired.KeptInFloat.Count, repaired.Tries.Count);
        Assert.True(repaired.Tries[^1].Aligned);
        Assert.True(repaired.Alignment.Cosine > failing.Alignment.Cosine);
        Assert.Contains(DamagedLayer, repaired.Steps[0].Note, StringComparison.Ordinal);
    }

    private static string WithOutlier(TemporaryDirectory work)
    {
        var exported = Path.GetDirectoryName(OnnxExporter.Export(RepositoryFiles.TinyModel, work.File("fp32")))!;
        var model = OnnxModels.Load(exported);
        var tensor = model.Graph.Initializer.Single(t => t.Name == DamagedLayer);
        var values = OnnxModels.ReadFloats(tensor);
        values[0] = values.Max(Math.Abs) * 400;
        model.Graph.Initializer.Remove(tensor);
        model.Graph.Initializer.Add(OnnxModels.Floats(DamagedLayer, values, [.. tensor.Dims]));
        var source = work.File("source");
        OnnxModels.Save(model, source, exported);
        return source;
    }
}

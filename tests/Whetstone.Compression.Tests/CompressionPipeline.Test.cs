using Xunit.Abstractions;

using Whetstone.Api.V1Alpha1;
using Whetstone.Compression.Alignment;
using Whetstone.Datasets;

namespace Whetstone.Compression.Tests;

public sealed class CompressionPipelineTest(ITestOutputHelper output)
{
    private static CompressionPlan Plan(params CompressionStep[] steps) => new(steps, "accuracy", 0.02, 0.99, Fallback: false, MaxFallbackTries: 4);

    [Fact]
    public void Int8_dynamic_of_the_tiny_model_runs_in_onnx_runtime_three_times_smaller_with_cosine_above_0_99()
    {
        using var work = new TemporaryDirectory();
        var set = EvaluationSet.Read(RepositoryFiles.MultipleChoice, DatasetFormat.MultipleChoice, maxRecords: 40);
        var observer = new RecordingObserver(output);
        var pipeline = new CompressionPipeline(
            Plan(new CompressionStep { Quantize = new QuantizeStep { Type = "int8", Mode = "dynamic" } }, new CompressionStep { Convert = new ConvertStep { Format = "onnx" } }),
            set, work.Path, observer);

        var outcome = pipeline.Run(RepositoryFiles.TinyModel);

        Assert.Equal("onnx", outcome.Format);
        Assert.True(File.Exists(Path.Combine(outcome.ModelDirectory, "model.onnx")));
        Assert.Equal("OnnxRuntime", outcome.Compressed.Backend);
        Assert.True(outcome.CompressionRatio >= 3, $"ratio {outcome.CompressionRatio:F2}");
        Assert.True(outcome.Alignment.Cosine >= 0.99, $"cosine {outcome.Alignment.Cosine:F5}");
        Assert.True(outcome.Aligned);
        Assert.Equal(2, outcome.Steps.Count);
        Assert.Contains("ONNX export", outcome.Steps[0].Note, StringComparison.Ordinal);
        Assert.Contains("no-op", outcome.Steps[1].Note, StringComparison.Ordinal);
        // Every weight is still there once (the ONNX export adds a few graph constants to the checkpoint's count).
        Assert.Equal(outcome.OriginalOnnx!.Parameters, outcome.Compressed.Parameters);
    }

    [Fact]
    public void Fp16_halves_the_file_keeps_the_logits_and_says_compute_stays_fp32()
    {
        using var work = new TemporaryDirectory();
        var set = EvaluationSet.Read(RepositoryFiles.Chat, DatasetFormat.Chat, maxRecords: 8);
        var outcome = new CompressionPipeline(Plan(new CompressionStep { Quantize = new QuantizeStep { Type = "fp16" } }), set, work.Path, new RecordingObserver(output))
            .Run(RepositoryFiles.TinyModel);

        Assert.Equal(EvaluationTask.Text, outcome.Task);
        Assert.Equal("perplexity", outcome.Alignment.Metric);
        Assert.True(outcome.CompressionRatio is > 1.9 and < 2.1, $"ratio {outcome.CompressionRatio:F3}");
        Assert.True(outcome.Alignment.Cosine > 0.9999, $"cosine {outcome.Alignment.Cosine:F6}");
        Assert.True(Math.Abs(outcome.Alignment.Drop) < 0.001, $"perplexity rise {outcome.Alignment.Drop:F5}");
        Assert.True(outcome.Alignment.TopOneAgreement > 0.99);
        Assert.Contains("compute stays float32", outcome.Steps[0].Note, StringComparison.Ordinal);
    }
}

using Whetstone.Api.V1Alpha1;
using Whetstone.Compression.Alignment;
using Whetstone.Compression.Reporting;
using Whetstone.Datasets;
using Xunit.Abstractions;

namespace Whetstone.Compression.Tests.Pruning;

/// <summary>The prune step inside <see cref="CompressionPipeline"/> on the committed tiny model and 40 shipped questions.</summary>
public sealed class PrunePipelineIntegrationTest(ITestOutputHelper output)
{
    private static CompressionPlan Plan(double minCosine, params CompressionStep[] steps) => new(steps, "accuracy", 1.0, minCosine, Fallback: false, MaxFallbackTries: 4);

    private static EvaluationSet Questions() => EvaluationSet.Read(RepositoryFiles.MultipleChoice, DatasetFormat.MultipleChoice, maxRecords: 40);

    [Fact]
    public void Unstructured_pruning_reports_its_sparsity_and_says_dense_storage_is_0_percent_smaller_and_0_percent_faster()
    {
        using var work = new TemporaryDirectory();
        var pipeline = new CompressionPipeline(Plan(0.5, new CompressionStep { Prune = new PruneStep { Method = "magnitude", Sparsity = 0.5, Structured = false } }),
            Questions(), work.Path, new RecordingObserver(output));

        var outcome = pipeline.Run(RepositoryFiles.TinyModel);

        var step = Assert.Single(outcome.Steps);
        output.WriteLine(step.Note);
        Assert.Equal("prune", step.Name);
        Assert.Equal(0.5, step.Metrics["sparsity"], 6);
        Assert.Equal(outcome.Original.SizeBytes, step.Figures.SizeBytes);
        Assert.Equal(outcome.Original.Parameters, step.Metrics["parametersStored"]);
        Assert.Equal(step.Metrics["nonZeroParameters"], step.Figures.Parameters);
        Assert.Equal(0, step.Metrics["sizeReduction"]);
        Assert.True(step.Metrics["nonZeroParameters"] < outcome.Original.Parameters * 0.65, $"non-zero {step.Metrics["nonZeroParameters"]}");
        Assert.Contains("0 % smaller", step.Note, StringComparison.Ordinal);
        Assert.Contains("0 % faster", step.Note, StringComparison.Ordinal);
        Assert.Contains("not a gain", step.Note, StringComparison.Ordinal);
        Assert.True(step.Alignment.Cosine < 1, "zeroing half the projection weights must change the logits");
        var markdown = CompressionReport.ToMarkdown(outcome, "unstructured");
        Assert.Contains("## Pruning (step 0)", markdown, StringComparison.Ordinal);
        Assert.Contains("| sparsity of the projections | | 0.5000 |", markdown, StringComparison.Ordinal);
        Assert.Contains("\"nonZeroParameters\"", CompressionReport.ToJson(outcome, "unstructured"), StringComparison.Ordinal);
    }

    [Fact]
    public void Structured_pruning_feeds_int8_quantization_and_a_broken_alignment_compares_layers_against_the_pruned_graph()
    {
        using var work = new TemporaryDirectory();
        var pipeline = new CompressionPipeline(
            Plan(0.9999,
                new CompressionStep { Prune = new PruneStep { Sparsity = 0.5, Structured = true } },
                new CompressionStep { Quantize = new QuantizeStep { Type = "int8", Mode = "dynamic" } },
                new CompressionStep { Convert = new ConvertStep { Format = "onnx" } }),
            Questions(), work.Path, new RecordingObserver(output));

        var outcome = pipeline.Run(RepositoryFiles.TinyModel);

        var prune = outcome.Steps[0];
        output.WriteLine(prune.Note);
        Assert.Equal((2, 2, 176), ((int)prune.Metrics["attentionHeads"], (int)prune.Metrics["keyValueHeads"], (int)prune.Metrics["intermediateSize"]));
        Assert.True(prune.Figures.Parameters < outcome.Original.Parameters * 0.8, $"{prune.Figures.Parameters} of {outcome.Original.Parameters}");
        Assert.True(prune.Figures.SizeBytes < outcome.Original.SizeBytes * 0.8, $"{prune.Figures.SizeBytes} of {outcome.Original.SizeBytes}");
        Assert.Contains("config.json updated", prune.Note, StringComparison.Ordinal);
        Assert.Equal("onnx", outcome.Format);
        Assert.True(outcome.Compressed.SizeBytes < prune.Figures.SizeBytes / 2.5, $"int8 of the pruned model: {outcome.Compressed.SizeBytes}");
        // The ONNX FP32 baseline is the original's export, not the pruned model's.
        Assert.True(outcome.OriginalOnnx!.Parameters > outcome.Original.Parameters - 1000, $"{outcome.OriginalOnnx.Parameters}");
        Assert.False(outcome.Aligned);
        Assert.NotEmpty(outcome.Layers);
        Assert.Contains(outcome.Layers, l => l.Layer.Contains("model.layers.0", StringComparison.Ordinal) && l.Compressed);
        Assert.All(outcome.Layers, l => Assert.True(l.Cosine > 0.9, $"{l.Layer}: {l.Cosine} (the baseline must be the pruned FP32 graph)"));
    }

    [Fact]
    public void A_prune_step_after_quantize_or_with_a_sparsity_of_1_is_refused_naming_the_field()
    {
        var late = Plan(0.99, new CompressionStep { Convert = new ConvertStep { Format = "onnx" } }, new CompressionStep { Prune = new PruneStep { Sparsity = 0.5 } });
        var full = Plan(0.99, new CompressionStep { Prune = new PruneStep { Sparsity = 1.0 } });
        var missing = Plan(0.99, new CompressionStep { Prune = new PruneStep { Structured = true } });

        Assert.Contains(late.Validate(), p => p.StartsWith("spec.steps[1].prune: prune must come before", StringComparison.Ordinal));
        Assert.Contains(full.Validate(), p => p.StartsWith("spec.steps[0].prune.sparsity: required, a fraction in [0, 1) (got 1)", StringComparison.Ordinal));
        Assert.Contains(missing.Validate(), p => p.StartsWith("spec.steps[0].prune.sparsity", StringComparison.Ordinal));
    }
}

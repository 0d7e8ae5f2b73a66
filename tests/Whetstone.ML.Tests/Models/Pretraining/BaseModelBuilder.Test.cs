using System.Text.Json;
using Whetstone.ML.Models;
using Whetstone.ML.Models.Pretraining;
using Whetstone.ML.Tests.Models;

namespace Whetstone.ML.Tests.Models.Pretraining;

public sealed class BaseModelBuilderTest
{
    private static readonly BaseModelSize Micro = new(
        "micro",
        BaseModelSize.Tiny.Architecture with { HiddenSize = 48, IntermediateSize = 128, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2 },
        VocabularySize: 350,
        CorpusDocuments: 400,
        new PretrainingOptions(SequenceLength: 32, BatchSize: 8, Steps: 40, LearningRate: 1e-2, Seed: 0, WarmupSteps: 5));

    [Fact]
    public void A_model_built_from_scratch_learns_and_loads_back_from_its_directory()
    {
        using var directory = new TemporaryDirectory();
        var steps = new List<PretrainingProgress>();

        var report = BaseModelBuilder.Build(directory.Path, Micro, seed: 3, new SynchronousProgress(steps.Add));

        Assert.Equal(40, steps.Count);
        Assert.True(report.HeldOutLossAfter < report.HeldOutLossBefore - 1.0,
            $"held-out loss {report.HeldOutLossBefore} -> {report.HeldOutLossAfter}");
        Assert.True(report.LastStepsMeanLoss < report.FirstStepLoss);
        foreach (var file in new[] { "config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "README.md", BaseModelBuilder.ReportFileName })
        {
            Assert.True(File.Exists(directory.File(file)), file);
        }
        using var loaded = LanguageModel.Load(directory.Path);
        Assert.Equal(350, loaded.Model.Config.VocabSize);
        // Greedy generation from the loaded directory is what the builder's own model produces.
        Assert.Equal(loaded.Generate("The kettle", maxNewTokens: 5), loaded.Generate("The kettle", maxNewTokens: 5));
        var scores = loaded.ScoreContinuation("Question: What colour is snow?\nAnswer:", " white.");
        Assert.All(scores, s => Assert.True(s < 0 && float.IsFinite(s)));
        var written = JsonSerializer.Deserialize<BaseModelReport>(File.ReadAllText(directory.File(BaseModelBuilder.ReportFileName)));
        Assert.Equal(report, written);
    }

    private sealed class SynchronousProgress(Action<PretrainingProgress> report) : IProgress<PretrainingProgress>
    {
        public void Report(PretrainingProgress value) => report(value);
    }
}

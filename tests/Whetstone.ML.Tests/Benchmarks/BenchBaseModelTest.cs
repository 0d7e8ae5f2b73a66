using System.Diagnostics;
using Whetstone.ML.Benchmarks;
using Whetstone.ML.Models;
using Whetstone.ML.Models.Pretraining;
using Whetstone.ML.Tests.Models;

namespace Whetstone.ML.Tests.Benchmarks;

public sealed class BenchBaseModelTest
{
    [Fact]
    public void The_bench_size_without_pre_training_builds_a_20_to_50_million_parameter_llama_quickly()
    {
        using var directory = new TemporaryDirectory();
        var recipe = BenchBaseModel.GetSize("bench");
        var clock = Stopwatch.StartNew();

        var report = BaseModelBuilder.Build(directory.Path, recipe with { Training = recipe.Training with { Steps = 0 } }, seed: 1);

        Assert.InRange(report.Parameters, 20_000_000, 50_000_000);
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), $"took {clock.Elapsed}");
        var config = LlamaConfig.Load(directory.File("config.json"));
        Assert.True(config.HiddenSize >= 512, $"hidden {config.HiddenSize}");
        Assert.Equal(4, config.KeyValueHeads);
    }

    [Fact]
    public void The_other_sizes_still_resolve_to_their_presets()
    {
        Assert.Same(BaseModelSize.Tiny, BenchBaseModel.GetSize("tiny"));
        Assert.Same(BaseModelSize.Small, BenchBaseModel.GetSize("small"));
    }
}

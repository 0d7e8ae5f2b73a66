using Whetstone.ML.Models;
using Whetstone.ML.Models.Pretraining;

namespace Whetstone.ML.Benchmarks;

/// <summary>
/// The "bench" base-model recipe: a Llama big enough (about 24 M parameters, hidden 512) for runtime latency and
/// throughput figures to mean something, built like the tiny and small presets. Never committed: benchmarks
/// create it on demand, usually without pre-training (weights do not change the speed).
/// </summary>
public static class BenchBaseModel
{
    /// <summary>The name that selects <see cref="Size"/>.</summary>
    public const string Name = "bench";

    /// <summary>Hidden 512, 8 layers, 8 query and 4 key/value heads, 2,048-token vocabulary: about 24.3 M parameters.</summary>
    public static BaseModelSize Size { get; } = new(
        Name,
        new LlamaConfig
        {
            HiddenSize = 512,
            IntermediateSize = 1376,
            NumHiddenLayers = 8,
            NumAttentionHeads = 8,
            NumKeyValueHeads = 4,
            RmsNormEps = 1e-5,
            RopeTheta = 10000.0,
            MaxPositionEmbeddings = 1024,
            TieWordEmbeddings = true,
        },
        VocabularySize: 2048,
        CorpusDocuments: 6000,
        new PretrainingOptions(SequenceLength: 128, BatchSize: 8, Steps: 200, LearningRate: 1e-3, Seed: 0));

    /// <summary>The names <see cref="GetSize"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["tiny", "small", Name];

    /// <summary>"bench" gives <see cref="Size"/>; "tiny" and "small" give <see cref="BaseModelSize.Get"/>'s presets.</summary>
    public static BaseModelSize GetSize(string name) => name == Name ? Size : BaseModelSize.Get(name);
}

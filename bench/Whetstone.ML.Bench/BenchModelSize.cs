using Whetstone.ML.Models;

namespace Whetstone.ML.Bench;

/// <summary>A model shape and batch to measure, the same on the C# and the PyTorch side.</summary>
internal sealed record BenchModelSize(string Name, LlamaConfig Config, int BatchSize, int SequenceLength)
{
    public static IReadOnlyList<BenchModelSize> All { get; } =
    [
        new("small", Llama(vocab: 512, hidden: 128, intermediate: 352, layers: 2, heads: 4), BatchSize: 4, SequenceLength: 64),
        new("medium", Llama(vocab: 1024, hidden: 256, intermediate: 688, layers: 4, heads: 8), BatchSize: 4, SequenceLength: 128),

        // About 34 M parameters: the size the issue asks for (hidden ≥ 512, 8 layers, sequence ≥ 256).
        new("large", Llama(vocab: 8192, hidden: 512, intermediate: 1408, layers: 8, heads: 8), BatchSize: 2, SequenceLength: 256),
    ];

    public static BenchModelSize Find(string name)
        => All.FirstOrDefault(s => s.Name == name) ?? throw new ArgumentException($"Unknown size '{name}'; known: {string.Join(", ", All.Select(s => s.Name))}.");

    private static LlamaConfig Llama(int vocab, int hidden, int intermediate, int layers, int heads) => new()
    {
        VocabSize = vocab,
        HiddenSize = hidden,
        IntermediateSize = intermediate,
        NumHiddenLayers = layers,
        NumAttentionHeads = heads,
        NumKeyValueHeads = heads,
        MaxPositionEmbeddings = 512,
        PadTokenId = 0,
    };
}

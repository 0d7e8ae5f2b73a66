namespace Whetstone.ML.Models.Pretraining;

/// <summary>
/// A recipe for a small base model built from scratch: architecture (the vocabulary size is filled in from
/// the trained tokenizer), tokenizer size, corpus size and pre-training budget.
/// </summary>
public sealed record BaseModelSize(
    string Name,
    LlamaConfig Architecture,
    int VocabularySize,
    int CorpusDocuments,
    PretrainingOptions Training)
{
    /// <summary>About 0.9 M parameters (3.5 MB in float32); pre-trains in a few minutes on two CPU cores.</summary>
    public static BaseModelSize Tiny { get; } = new(
        "tiny",
        new LlamaConfig
        {
            HiddenSize = 128,
            IntermediateSize = 352,
            NumHiddenLayers = 4,
            NumAttentionHeads = 4,
            NumKeyValueHeads = 2,
            RmsNormEps = 1e-5,
            RopeTheta = 10000.0,
            MaxPositionEmbeddings = 512,
            TieWordEmbeddings = true,
        },
        VocabularySize: 1024,
        CorpusDocuments: 6000,
        new PretrainingOptions(SequenceLength: 128, BatchSize: 16, Steps: 300, LearningRate: 3e-3, Seed: 0));

    /// <summary>About 5 M parameters; for machines with time to spare (tens of minutes on a CPU).</summary>
    public static BaseModelSize Small { get; } = new(
        "small",
        new LlamaConfig
        {
            HiddenSize = 256,
            IntermediateSize = 688,
            NumHiddenLayers = 6,
            NumAttentionHeads = 8,
            NumKeyValueHeads = 4,
            RmsNormEps = 1e-5,
            RopeTheta = 10000.0,
            MaxPositionEmbeddings = 1024,
            TieWordEmbeddings = true,
        },
        VocabularySize: 2048,
        CorpusDocuments: 20000,
        new PretrainingOptions(SequenceLength: 256, BatchSize: 16, Steps: 1500, LearningRate: 1.5e-3, Seed: 0));

    /// <summary>The preset called <paramref name="name"/> ("tiny" or "small").</summary>
    public static BaseModelSize Get(string name) => name switch
    {
        "tiny" => Tiny,
        "small" => Small,
        _ => throw new ArgumentException($"model size '{name}' is not one of tiny, small", nameof(name)),
    };
}

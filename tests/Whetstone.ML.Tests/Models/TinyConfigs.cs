using Whetstone.ML.Models;

namespace Whetstone.ML.Tests.Models;

/// <summary>Small architectures that run in milliseconds on a CPU.</summary>
internal static class TinyConfigs
{
    /// <summary>Grouped-query attention (4 query heads share 2 key/value heads), separate output layer.</summary>
    public static LlamaConfig GroupedQuery => new()
    {
        VocabSize = 97,
        HiddenSize = 64,
        IntermediateSize = 160,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        RmsNormEps = 1e-5,
        RopeTheta = 500.0,
        MaxPositionEmbeddings = 128,
        BosTokenId = 1,
        EosTokenId = 2,
        PadTokenId = 0,
    };

    /// <summary>Multi-head attention with the output layer tied to the embedding.</summary>
    public static LlamaConfig TiedMultiHead => GroupedQuery with { NumKeyValueHeads = 4, TieWordEmbeddings = true, RopeTheta = 10000.0 };

    public static LlamaForCausalLM Create(LlamaConfig config, long seed = 7)
    {
        TorchSharp.torch.manual_seed(seed);
        var model = new LlamaForCausalLM(config);
        // A larger spread than the usual 0.02 so logits differ clearly between tokens and positions.
        model.InitializeWeights(0.2);
        return model;
    }
}

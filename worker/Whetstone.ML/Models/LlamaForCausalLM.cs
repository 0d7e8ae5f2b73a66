using TorchSharp;
using TorchSharp.Modules;
using Whetstone.ML.Runtime;
using static TorchSharp.torch;

namespace Whetstone.ML.Models;

/// <summary>
/// A Llama-family causal language model laid out exactly as Hugging Face's <c>LlamaForCausalLM</c>:
/// <c>named_parameters()</c> yields the safetensors names (<c>model.layers.0.self_attn.q_proj.weight</c>, ...),
/// and projections are found and swapped by module path (<see cref="GetProjectionOwners"/>).
/// With tied embeddings there is no <c>lm_head</c>: logits use the embedding matrix, as in the saved files.
/// </summary>
public sealed partial class LlamaForCausalLM : nn.Module
{
    // Field names are the Hugging Face module names: they become the parameter and safetensors names.
#pragma warning disable IDE1006
    private readonly LlamaModel model;
    private readonly Linear? lm_head;
#pragma warning restore IDE1006

    /// <summary>Creates the model with default-initialised weights in <paramref name="dtype"/> on the CPU.</summary>
    public LlamaForCausalLM(LlamaConfig config, ScalarType dtype = ScalarType.Float32) : base(nameof(LlamaForCausalLM))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        model = new LlamaModel(config, dtype);
        if (!config.TieWordEmbeddings)
        {
            lm_head = nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false, dtype: dtype);
        }
        RegisterComponents();
    }

    /// <summary>The architecture.</summary>
    public LlamaConfig Config { get; }

    /// <summary>The decoder stack (module path <c>model</c>).</summary>
    public LlamaModel Model => model;

    /// <summary>The device the parameters are on.</summary>
    public Device Device => model.EmbedTokens.weight!.device;

    /// <summary>
    /// Logits [batch, time, vocab] for <paramref name="inputIds"/> [batch, time] (int64).
    /// See <see cref="LlamaModel.Forward"/> for the mask and cache.
    /// </summary>
    public Tensor Forward(Tensor inputIds, Tensor? attentionMask = null, KeyValueCache? cache = null)
    {
        using var scope = NewDisposeScope();
        return OutputLayer(model.Forward(inputIds, attentionMask, cache)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Logits [batch, vocab] of the last position only: what decoding needs, without the output layer's work on every
    /// other position (the output layer is the largest single matmul of a small model with a large vocabulary). With
    /// left padding the last column is every row's newest token. Equal to <see cref="Forward"/>'s last column up to
    /// float rounding.
    /// </summary>
    public Tensor ForwardLast(Tensor inputIds, Tensor? attentionMask = null, KeyValueCache? cache = null)
    {
        using var scope = NewDisposeScope();
        return OutputLayer(model.Forward(inputIds, attentionMask, cache).select(1, -1)).MoveToOuterDisposeScope();
    }

    // Inside an Autocast scope the output layer computes in the compute dtype (so do the logits; losses upcast them).
    private Tensor OutputLayer(Tensor hidden) => Autocast.IsEnabled
        ? Autocast.Linear(hidden, lm_head?.weight ?? model.EmbedTokens.weight!, lm_head?.bias)
        : lm_head is null
            ? nn.functional.linear(hidden, model.EmbedTokens.weight!)
            : lm_head.forward(hidden);

    /// <summary>Starts an empty cache sized for this model.</summary>
    public KeyValueCache CreateCache() => new(Config.NumHiddenLayers);

    /// <summary>
    /// Every block that owns linear projections, with its module path (<c>model.layers.3.self_attn</c>,
    /// <c>model.layers.3.mlp</c>); a projection's full path is the owner's path, a dot, and its name.
    /// </summary>
    public IEnumerable<(string Path, IProjectionOwner Owner)> GetProjectionOwners()
    {
        var decoderLayers = model.Layers;
        for (var i = 0; i < decoderLayers.Count; i++)
        {
            yield return ($"model.layers.{i}.self_attn", decoderLayers[i].SelfAttention);
            yield return ($"model.layers.{i}.mlp", decoderLayers[i].Mlp);
        }
    }

    /// <summary>Re-initialises every weight as Hugging Face does for a new model: normal(0, 0.02) for matrices, ones for norms.</summary>
    public void InitializeWeights(double standardDeviation = 0.02)
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            if (name.EndsWith("layernorm.weight", StringComparison.Ordinal) || name == "model.norm.weight")
            {
                parameter.fill_(1.0);
            }
            else
            {
                nn.init.normal_(parameter, 0.0, standardDeviation);
            }
        }
    }
}

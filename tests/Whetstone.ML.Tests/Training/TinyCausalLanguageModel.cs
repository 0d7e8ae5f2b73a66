using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Whetstone.ML.Tests.Training;

/// <summary>
/// A small causal language model for training tests, with Llama-like module names (layers.N.self_attn.q_proj …,
/// mlp.down_proj): each block mixes a gated causal running mean of the previous tokens (so context matters and
/// padding after a token never changes it) and an MLP. Built under a fixed seed.
/// </summary>
internal sealed class TinyCausalLanguageModel : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // Hugging Face module names.
    private readonly Embedding embed_tokens;
    private readonly ModuleList<TinyBlock> layers;
    private readonly LayerNorm norm;
    private readonly Linear lm_head;
#pragma warning restore IDE1006

    public TinyCausalLanguageModel(int vocabulary, int hidden, int layerCount, int seed) : base(nameof(TinyCausalLanguageModel))
    {
        manual_seed(seed);
        embed_tokens = nn.Embedding(vocabulary, hidden);
        layers = nn.ModuleList([.. Enumerable.Range(0, layerCount).Select(_ => new TinyBlock(hidden))]);
        norm = nn.LayerNorm(hidden);
        lm_head = nn.Linear(hidden, vocabulary, hasBias: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor inputIds, Tensor attentionMask)
    {
        var hidden = embed_tokens.call(inputIds);
        foreach (var layer in layers)
        {
            hidden = layer.call(hidden, attentionMask);
        }

        return lm_head.call(norm.call(hidden));
    }

    private sealed class TinyBlock : nn.Module<Tensor, Tensor, Tensor>
    {
#pragma warning disable IDE1006
        private readonly TinyAttention self_attn;
        private readonly TinyMlp mlp;
#pragma warning restore IDE1006

        public TinyBlock(int hidden) : base(nameof(TinyBlock))
        {
            self_attn = new TinyAttention(hidden);
            mlp = new TinyMlp(hidden);
            RegisterComponents();
        }

        public override Tensor forward(Tensor hidden, Tensor attentionMask)
        {
            var mixed = hidden + self_attn.call(hidden, attentionMask);
            return mixed + mlp.call(mixed);
        }
    }

    private sealed class TinyAttention : nn.Module<Tensor, Tensor, Tensor>
    {
#pragma warning disable IDE1006
        private readonly Linear q_proj;
        private readonly Linear v_proj;
        private readonly Linear o_proj;
#pragma warning restore IDE1006

        public TinyAttention(int hidden) : base(nameof(TinyAttention))
        {
            q_proj = nn.Linear(hidden, hidden, hasBias: false);
            v_proj = nn.Linear(hidden, hidden, hasBias: false);
            o_proj = nn.Linear(hidden, hidden, hasBias: false);
            RegisterComponents();
        }

        public override Tensor forward(Tensor hidden, Tensor attentionMask)
        {
            var mask = attentionMask.unsqueeze(-1).to(hidden.dtype);
            var values = v_proj.call(hidden) * mask;
            var runningMean = values.cumsum(1) / mask.cumsum(1).clamp_min(1);
            return o_proj.call(nn.functional.sigmoid(q_proj.call(hidden)) * runningMean);
        }
    }

    private sealed class TinyMlp : nn.Module<Tensor, Tensor>
    {
#pragma warning disable IDE1006
        private readonly Linear up_proj;
        private readonly Linear down_proj;
#pragma warning restore IDE1006

        public TinyMlp(int hidden) : base(nameof(TinyMlp))
        {
            up_proj = nn.Linear(hidden, 2 * hidden);
            down_proj = nn.Linear(2 * hidden, hidden);
            RegisterComponents();
        }

        public override Tensor forward(Tensor hidden) => down_proj.call(nn.functional.gelu(up_proj.call(hidden)));
    }
}

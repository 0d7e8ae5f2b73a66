using TorchSharp;
using TorchSharp.Modules;
using Whetstone.ML.Models;
using Whetstone.ML.Runtime;
using static TorchSharp.torch;

namespace Whetstone.ML.Training;

/// <summary>
/// The forward pass of a <see cref="LlamaForCausalLM"/> over a packed batch (<see cref="PackingCollator"/>): the
/// model's own modules (embedding, decoder layers, final norm, output layer) run in the model's order, with rotary
/// positions taken from the batch's position ids and a boolean [batch, 1, time, time] mask that lets a token see only
/// earlier tokens of its own example.
/// </summary>
/// <remarks>
/// Built here from the model's public modules rather than inside <see cref="LlamaModel.Forward"/>, which takes a
/// [batch, length] padding mask only; it computes what that method computes for an example alone (a test compares
/// the two per example). The final norm and the output layer are found by their Hugging Face module names.
/// </remarks>
public sealed class PackedLlamaForward
{
    private readonly LlamaForCausalLM _model;
    private readonly RotaryEmbedding _rotary;
    private readonly nn.Module<Tensor, Tensor> _norm;
    private readonly Linear? _outputLayer;

    /// <summary>Prepares the packed forward pass of <paramref name="model"/>.</summary>
    public PackedLlamaForward(LlamaForCausalLM model)
    {
        ArgumentNullException.ThrowIfNull(model);
        this._model = model;
        _rotary = new RotaryEmbedding(model.Config.AttentionHeadDim, model.Config.RopeTheta);
        _norm = model.Model.named_children().Where(c => c.name == "norm").Select(c => c.module).OfType<nn.Module<Tensor, Tensor>>().Single();
        _outputLayer = model.named_children().Where(c => c.name == "lm_head").Select(c => c.module).OfType<Linear>().SingleOrDefault();
    }

    /// <summary>Logits [batch, time, vocab] for a packed batch: ids, segment ids (0 = padding) and positions, each [batch, time].</summary>
    public Tensor Forward(Tensor inputIds, Tensor segmentIds, Tensor positionIds)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        using var scope = NewDisposeScope();
        var (cos, sin) = _rotary.Compute(positionIds);
        var mask = BuildMask(segmentIds);
        var hidden = _model.Model.EmbedTokens.forward(inputIds);
        var layers = _model.Model.Layers;
        for (var i = 0; i < layers.Count; i++)
        {
            hidden = layers[i].Forward(hidden, cos, sin, mask, null, i);
        }

        hidden = _norm.forward(hidden);
        var outputWeight = _outputLayer?.weight ?? _model.Model.EmbedTokens.weight!;
        var logits = Autocast.IsEnabled
            ? Autocast.Linear(hidden, outputWeight, _outputLayer?.bias)
            : _outputLayer is null ? nn.functional.linear(hidden, outputWeight) : _outputLayer.forward(hidden);
        return logits.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// True where query i may attend key j: same example and j ≤ i. Padding positions (segment 0) see only
    /// themselves, so their softmax rows are never empty (an empty row would be NaN and poison the gradients).
    /// </summary>
    internal static Tensor BuildMask(Tensor segmentIds)
    {
        using var scope = NewDisposeScope();
        var time = segmentIds.shape[1];
        var positions = arange(time, dtype: ScalarType.Int64, device: segmentIds.device);
        var causal = positions.unsqueeze(0).le(positions.unsqueeze(1));
        var self = positions.unsqueeze(0).eq(positions.unsqueeze(1));
        var sameExample = segmentIds.unsqueeze(2).eq(segmentIds.unsqueeze(1)).logical_and(segmentIds.unsqueeze(2).ne(0));
        return sameExample.logical_and(causal).logical_or(self).unsqueeze(1).MoveToOuterDisposeScope();
    }
}

using System.Text.Json;
using Whetstone.ML.Models;
using Whetstone.ML.Safetensors;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Whetstone.ML.Classifiers;

/// <summary>
/// The trainable form of a <see cref="ClassifierConfig"/> model: (x - mean) / scale, Linear + ReLU layers,
/// raw logits. <see cref="Save"/> writes the directory every runtime backend loads.
/// </summary>
public sealed class MlpClassifier : nn.Module<Tensor, Tensor>
{
    // Field names are the state-dict names TorchSharp registers (and Save writes): they keep the saved layout.
#pragma warning disable IDE1006
    private readonly Tensor mean;
    private readonly Tensor scale;
    private readonly ModuleList<Linear> layers;
#pragma warning restore IDE1006

    /// <summary>Creates a randomly initialised model (seed with <c>manual_seed</c> first for reproducibility).</summary>
    public MlpClassifier(ClassifierConfig config) : base(nameof(MlpClassifier))
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.InputMean.Count != config.InputSize || config.InputScale.Count != config.InputSize)
        {
            throw new ArgumentException("input_mean and input_scale must hold input_size values each", nameof(config));
        }
        Config = config;
        var widths = new List<int> { config.InputSize };
        widths.AddRange(config.HiddenSizes);
        widths.Add(config.Labels.Count);
        mean = tensor(config.InputMean.ToArray());
        scale = tensor(config.InputScale.ToArray());
        layers = nn.ModuleList(Enumerable.Range(0, widths.Count - 1).Select(i => nn.Linear(widths[i], widths[i + 1])).ToArray());
        register_buffer("mean", mean, persistent: false);
        register_buffer("scale", scale, persistent: false);
        RegisterComponents();
    }

    /// <summary>The configuration the model was built from (and is saved with).</summary>
    public ClassifierConfig Config { get; }

    /// <summary>Number of trainable values.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var hidden = (input - mean) / scale;
        for (var i = 0; i < layers.Count; i++)
        {
            hidden = layers[i].forward(hidden);
            if (i < layers.Count - 1)
            {
                hidden = nn.functional.relu(hidden);
            }
        }
        return hidden;
    }

    /// <summary>Logits for raw feature vectors, one row each (no gradient).</summary>
    public IReadOnlyList<float[]> Score(IReadOnlyList<float[]> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var logits = forward(tensor(inputs.SelectMany(x => x).ToArray()).view(inputs.Count, Config.InputSize)).contiguous();
        var values = logits.data<float>().ToArray();
        var classes = Config.Labels.Count;
        return Enumerable.Range(0, inputs.Count).Select(r => values.AsSpan(r * classes, classes).ToArray()).ToList();
    }

    /// <summary>Writes <c>config.json</c> and <c>model.safetensors</c> (<c>layers.{i}.weight</c>, <c>layers.{i}.bias</c>).</summary>
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        var tensors = new List<(string, Tensor)>();
        for (var i = 0; i < layers.Count; i++)
        {
            tensors.Add(($"layers.{i}.weight", layers[i].weight!.detach().contiguous()));
            tensors.Add(($"layers.{i}.bias", layers[i].bias!.detach().contiguous()));
        }
        SafetensorsWriter.Write(Path.Combine(directory, LlamaCheckpoint.WeightsFileName), tensors);
        File.WriteAllText(Path.Combine(directory, LlamaCheckpoint.ConfigFileName), JsonSerializer.Serialize(Config, new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>Copies of the layer weights, to restore the best epoch after early stopping.</summary>
    internal Dictionary<string, Tensor> CopyWeights() =>
        named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());

    /// <summary>Puts back weights taken with <see cref="CopyWeights"/>.</summary>
    internal void RestoreWeights(Dictionary<string, Tensor> weights)
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            parameter.copy_(weights[name]);
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            mean.Dispose();
            scale.Dispose();
        }
        base.Dispose(disposing);
    }
}

using System.Globalization;
using System.Text.Json;
using Whetstone.ML.Classifiers;
using Whetstone.ML.Models;
using Whetstone.ML.Safetensors;
using static TorchSharp.torch;

namespace Whetstone.ModelRuntime.TorchSharp;

/// <summary>
/// A classifier directory (<see cref="ClassifierConfig"/>: <c>config.json</c> + <c>model.safetensors</c>) run by
/// TorchSharp: (x - mean) / scale, then Linear + ReLU layers, raw logits out.
/// </summary>
public sealed class TorchClassifierRunner : IClassifierRunner
{
    private readonly ClassifierConfig _config;
    private readonly Tensor _mean;
    private readonly Tensor _scale;
    private readonly (Tensor Weight, Tensor Bias)[] _layers;
    private readonly Device _device;

    private TorchClassifierRunner(ClassifierConfig config, Tensor mean, Tensor scale, (Tensor, Tensor)[] layers, Device device, ModelDescription description)
    {
        this._config = config;
        this._mean = mean;
        this._scale = scale;
        this._layers = layers;
        this._device = device;
        Description = description;
    }

    /// <inheritdoc/>
    public ModelDescription Description { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> Labels => _config.Labels;

    /// <inheritdoc/>
    public int InputSize => _config.InputSize;

    /// <summary>Reads and checks the directory's config and weights.</summary>
    public static TorchClassifierRunner Load(string directory, Device device, int threads)
    {
        var configPath = Path.Combine(directory, LlamaCheckpoint.ConfigFileName);
        var config = JsonSerializer.Deserialize<ClassifierConfig>(File.ReadAllText(configPath))
            ?? throw new ModelFormatException($"{configPath}: empty");
        CheckConfig(config, configPath);
        var weightsPath = Path.Combine(directory, LlamaCheckpoint.WeightsFileName);
        using var reader = SafetensorsReader.Open(weightsPath);
        var widths = new List<int> { config.InputSize };
        widths.AddRange(config.HiddenSizes);
        widths.Add(config.Labels.Count);
        var layers = new (Tensor, Tensor)[widths.Count - 1];
        for (var i = 0; i < layers.Length; i++)
        {
            layers[i] = (
                ReadChecked(reader, $"layers.{i}.weight", [widths[i + 1], widths[i]], device, weightsPath),
                ReadChecked(reader, $"layers.{i}.bias", [widths[i + 1]], device, weightsPath));
        }
        if (reader.Tensors.Count != layers.Length * 2)
        {
            throw new ModelFormatException($"{weightsPath}: holds {reader.Tensors.Count} tensors, the config calls for {layers.Length * 2}");
        }
        var parameters = layers.Sum(l => l.Item1.numel() + l.Item2.numel());
        var description = new ModelDescription(
            Path.GetFullPath(directory), ModelKind.Classifier, RuntimeBackend.TorchSharp, device.ToString(), threads, parameters, new FileInfo(weightsPath).Length);
        return new TorchClassifierRunner(
            config,
            tensor(config.InputMean.ToArray(), dtype: ScalarType.Float32, device: device),
            tensor(config.InputScale.ToArray(), dtype: ScalarType.Float32, device: device),
            layers,
            device,
            description);
    }

    /// <inheritdoc/>
    public IReadOnlyList<float[]> Score(IReadOnlyList<float[]> inputs, int batchSize = 64, CancellationToken cancellationToken = default)
    {
        TorchThreads.Apply(Description.Threads);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var results = new List<float[]>(inputs.Count);
        foreach (var chunk in inputs.Chunk(batchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (chunk.FirstOrDefault(x => x.Length != InputSize) is { } wrong)
            {
                throw new ArgumentException($"a feature vector has {wrong.Length} values, the model takes {InputSize}", nameof(inputs));
            }
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var hidden = (tensor(chunk.SelectMany(x => x).ToArray(), dtype: ScalarType.Float32, device: _device).view(chunk.Length, InputSize) - _mean) / _scale;
            for (var i = 0; i < _layers.Length; i++)
            {
                hidden = nn.functional.linear(hidden, _layers[i].Weight, _layers[i].Bias);
                if (i < _layers.Length - 1)
                {
                    hidden = nn.functional.relu(hidden);
                }
            }
            var values = hidden.cpu().contiguous().data<float>().ToArray();
            var classes = Labels.Count;
            results.AddRange(Enumerable.Range(0, chunk.Length).Select(r => values.AsSpan(r * classes, classes).ToArray()));
        }
        return results;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _mean.Dispose();
        _scale.Dispose();
        foreach (var (weight, bias) in _layers)
        {
            weight.Dispose();
            bias.Dispose();
        }
    }

    private static void CheckConfig(ClassifierConfig config, string path)
    {
        if (config.InputSize <= 0)
        {
            throw new ModelFormatException($"{path}: input_size must be positive, got {config.InputSize}");
        }
        if (config.Labels.Count < 2)
        {
            throw new ModelFormatException($"{path}: labels must name at least two classes");
        }
        if (config.HiddenSizes.Any(h => h <= 0))
        {
            throw new ModelFormatException($"{path}: hidden_sizes must all be positive");
        }
        if (config.InputMean.Count != config.InputSize || config.InputScale.Count != config.InputSize)
        {
            throw new ModelFormatException(string.Create(CultureInfo.InvariantCulture,
                $"{path}: input_mean and input_scale must each hold input_size ({config.InputSize}) values, got {config.InputMean.Count} and {config.InputScale.Count}"));
        }
        if (config.InputScale.Any(s => s == 0 || !float.IsFinite(s)))
        {
            throw new ModelFormatException($"{path}: input_scale values must be finite and non-zero");
        }
    }

    private static Tensor ReadChecked(SafetensorsReader reader, string name, long[] shape, Device device, string path)
    {
        if (!reader.Tensors.ContainsKey(name))
        {
            throw new ModelFormatException($"{path}: tensor {name} is missing");
        }
        var value = reader.ReadTensor(name).to(ScalarType.Float32);
        if (!value.shape.SequenceEqual(shape))
        {
            var found = string.Join("x", value.shape);
            value.Dispose();
            throw new ModelFormatException($"{path}: tensor {name} has shape [{found}], the config calls for [{string.Join("x", shape)}]");
        }
        return value.to(device);
    }
}

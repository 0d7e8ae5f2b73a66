using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Whetstone.ML.Classifiers;
using Whetstone.ML.Models;
using Whetstone.Onnx;

namespace Whetstone.ModelRuntime.Onnx;

/// <summary>A classifier exported to ONNX (input <c>features</c>, output <c>logits</c>) run by ONNX Runtime.</summary>
public sealed class OnnxClassifierRunner : IClassifierRunner
{
    private readonly InferenceSession _session;
    private readonly ClassifierConfig _config;

    private OnnxClassifierRunner(InferenceSession session, ClassifierConfig config, ModelDescription description)
    {
        this._session = session;
        this._config = config;
        Description = description;
    }

    /// <inheritdoc/>
    public ModelDescription Description { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> Labels => _config.Labels;

    /// <inheritdoc/>
    public int InputSize => _config.InputSize;

    /// <summary>Opens the directory's <c>model.onnx</c>; labels and input size come from its <c>config.json</c>.</summary>
    public static OnnxClassifierRunner Load(string directory, int threads)
    {
        var configPath = Path.Combine(directory, LlamaCheckpoint.ConfigFileName);
        var config = JsonSerializer.Deserialize<ClassifierConfig>(File.ReadAllText(configPath))
            ?? throw new ModelFormatException($"{configPath}: empty");
        var path = Path.Combine(directory, OnnxModelFiles.ModelFileName);
        var (session, summary) = OnnxSessionFactory.Open(path, threads);
        var description = new ModelDescription(
            Path.GetFullPath(directory), ModelKind.Classifier, RuntimeBackend.OnnxRuntime, "cpu", threads, summary.Parameters, summary.WeightBytes);
        return new OnnxClassifierRunner(session, config, description);
    }

    /// <inheritdoc/>
    public IReadOnlyList<float[]> Score(IReadOnlyList<float[]> inputs, int batchSize = 64, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var results = new List<float[]>(inputs.Count);
        var classes = Labels.Count;
        foreach (var chunk in inputs.Chunk(batchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (chunk.FirstOrDefault(x => x.Length != InputSize) is { } wrong)
            {
                throw new ArgumentException($"a feature vector has {wrong.Length} values, the model takes {InputSize}", nameof(inputs));
            }
            using var features = OrtValue.CreateTensorValueFromMemory(chunk.SelectMany(x => x).ToArray(), [chunk.Length, InputSize]);
            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, ["features"], [features], ["logits"]);
            var values = outputs[0].GetTensorDataAsSpan<float>();
            for (var row = 0; row < chunk.Length; row++)
            {
                results.Add(values.Slice(row * classes, classes).ToArray());
            }
        }
        return results;
    }

    /// <inheritdoc/>
    public void Dispose() => _session.Dispose();
}

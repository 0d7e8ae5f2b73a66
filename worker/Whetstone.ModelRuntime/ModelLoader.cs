using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using Whetstone.ML.Classifiers;
using Whetstone.ML.Models;
using Whetstone.ML.Runtime;
using Whetstone.ModelRuntime.Onnx;
using Whetstone.ModelRuntime.TorchSharp;

namespace Whetstone.ModelRuntime;

/// <summary>Opens a model directory with the backend its files call for.</summary>
public static class ModelLoader
{
    /// <summary>The file that marks an ONNX model directory.</summary>
    public const string OnnxFileName = "model.onnx";

    /// <summary>
    /// Loads <paramref name="directory"/>: a directory holding <c>model.onnx</c> runs in ONNX Runtime, a Hugging Face
    /// layout (<c>config.json</c> + <c>model.safetensors</c>) in TorchSharp; <c>config.json</c>'s <c>model_type</c>
    /// says language model or classifier. Throws <see cref="ModelFormatException"/> naming the file when the
    /// directory holds neither or a file is broken, before any work is done.
    /// </summary>
    public static IModelRunner Load(string directory, RuntimeOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        options ??= new RuntimeOptions();
        if (!Directory.Exists(directory))
        {
            throw new ModelFormatException($"{directory}: the model directory does not exist");
        }
        var backend = options.Backend ?? (File.Exists(Path.Combine(directory, OnnxFileName)) ? RuntimeBackend.OnnxRuntime : RuntimeBackend.TorchSharp);
        try
        {
            return backend switch
            {
                RuntimeBackend.OnnxRuntime => LoadOnnx(directory, options),
                _ => LoadTorch(directory, options),
            };
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or FileNotFoundException or KeyNotFoundException)
        {
            throw new ModelFormatException($"{directory}: {e.Message}", e);
        }
    }

    /// <summary>Loads a language model, failing clearly when the directory holds another kind.</summary>
    public static ILanguageModelRunner LoadLanguageModel(string directory, RuntimeOptions? options = null) =>
        Load(directory, options) switch
        {
            ILanguageModelRunner language => language,
            var other => Refuse<ILanguageModelRunner>(other, directory, "a language model"),
        };

    /// <summary>Loads a classifier, failing clearly when the directory holds another kind.</summary>
    public static IClassifierRunner LoadClassifier(string directory, RuntimeOptions? options = null) =>
        Load(directory, options) switch
        {
            IClassifierRunner classifier => classifier,
            var other => Refuse<IClassifierRunner>(other, directory, "a classifier"),
        };

    /// <summary>The <c>model_type</c> in a directory's <c>config.json</c>, or null when it has none.</summary>
    public static string? ReadModelType(string directory)
    {
        var path = Path.Combine(directory, LlamaCheckpoint.ConfigFileName);
        if (!File.Exists(path))
        {
            throw new ModelFormatException($"{path}: missing (a model directory holds config.json and model.safetensors, or model.onnx)");
        }
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) is JsonObject config
                ? config["model_type"] is JsonValue type && type.TryGetValue<string>(out var name) ? name : null
                : throw new ModelFormatException($"{path}: not a JSON object");
        }
        catch (JsonException error)
        {
            throw new ModelFormatException($"{path}: line {(error.LineNumber ?? 0) + 1}: {error.Message}", error);
        }
    }

    private static IModelRunner LoadTorch(string directory, RuntimeOptions options)
    {
        var device = options.PreferCuda ? TorchRuntime.SelectDevice() : torch.CPU;
        var threads = ConfigureThreads(options.Threads);
        return ReadModelType(directory) == ClassifierConfig.ModelTypeName
            ? TorchClassifierRunner.Load(directory, device, threads)
            : TorchLanguageModelRunner.Load(directory, device, threads);
    }

    private static IModelRunner LoadOnnx(string directory, RuntimeOptions options)
    {
        var threads = options.Threads ?? ContainerCpuLimit.DetectCores();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        return ReadModelType(directory) == ClassifierConfig.ModelTypeName
            ? OnnxClassifierRunner.Load(directory, threads)
            : OnnxLanguageModelRunner.Load(directory, threads);
    }

    private static int ConfigureThreads(int? threads)
    {
        if (threads is null)
        {
            return TorchRuntime.ConfigureThreads();
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads.Value);
        torch.set_num_threads(threads.Value);
        return threads.Value;
    }

    private static T Refuse<T>(IModelRunner runner, string directory, string wanted)
    {
        var kind = runner.Description.Kind;
        runner.Dispose();
        throw new ModelFormatException($"{directory}: holds a {kind}, not {wanted}");
    }
}

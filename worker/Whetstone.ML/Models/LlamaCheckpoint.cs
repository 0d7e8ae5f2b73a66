using TorchSharp;
using Whetstone.ML.Safetensors;
using static TorchSharp.torch;

namespace Whetstone.ML.Models;

/// <summary>
/// Loads and saves a model in the Hugging Face directory layout: <c>config.json</c> and
/// <c>model.safetensors</c> (the tokenizer, <c>tokenizer.json</c>, is read by the tokenization code).
/// </summary>
public static class LlamaCheckpoint
{
    /// <summary>File name of the architecture.</summary>
    public const string ConfigFileName = "config.json";

    /// <summary>File name of the weights.</summary>
    public const string WeightsFileName = "model.safetensors";

    /// <summary>
    /// Builds the model of <paramref name="directory"/> and loads every weight, converted to <paramref name="dtype"/>
    /// (float32 unless given), on <paramref name="device"/> (CPU unless given). Missing or unexpected tensors, or
    /// tensors of the wrong shape, are a <see cref="ModelFormatException"/> naming them.
    /// </summary>
    public static LlamaForCausalLM Load(string directory, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        var config = LlamaConfig.Load(Path.Combine(directory, ConfigFileName));
        var model = new LlamaForCausalLM(config, dtype);
        try
        {
            LoadWeights(model, Path.Combine(directory, WeightsFileName));
            if (device is not null && device.type != DeviceType.CPU)
            {
                model.to(device);
            }
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Copies the tensors of a safetensors file into the model's parameters (names must match one to one).</summary>
    public static void LoadWeights(LlamaForCausalLM model, string weightsPath)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!File.Exists(weightsPath))
        {
            throw new ModelFormatException($"{weightsPath}: the weights file is missing");
        }
        using var reader = SafetensorsReader.Open(weightsPath);
        var parameters = model.named_parameters().ToList();
        var expected = parameters.Select(p => p.name).ToHashSet(StringComparer.Ordinal);
        var missing = expected.Where(name => !reader.Tensors.ContainsKey(name)).ToList();
        // Files written with tied embeddings sometimes still carry lm_head.weight; it equals the embedding.
        var unexpected = reader.Tensors.Keys
            .Where(name => !expected.Contains(name) && !(model.Config.TieWordEmbeddings && name == "lm_head.weight"))
            .ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
        {
            throw new ModelFormatException(
                $"{weightsPath}: tensors do not match config.json: missing [{string.Join(", ", missing.Take(10))}], unexpected [{string.Join(", ", unexpected.Take(10))}]");
        }
        try
        {
            foreach (var (name, parameter) in parameters)
            {
                reader.ReadInto(name, parameter);
            }
        }
        catch (InvalidDataException error)
        {
            // The expected shapes come from config.json: name it, since either file may be the wrong one.
            throw new ModelFormatException(error.Message + " (the shapes config.json describes)", error);
        }
    }

    /// <summary>Writes <c>config.json</c> and <c>model.safetensors</c> into <paramref name="directory"/> (created if needed).</summary>
    public static void Save(LlamaForCausalLM model, string directory)
    {
        ArgumentNullException.ThrowIfNull(model);
        Directory.CreateDirectory(directory);
        var parameters = model.named_parameters().ToList();
        var dtype = parameters[0].parameter.dtype;
        var config = model.Config with { TorchDtype = ModelDtypes.NameOf(dtype) };
        config.Save(Path.Combine(directory, ConfigFileName));
        SafetensorsWriter.Write(
            Path.Combine(directory, WeightsFileName),
            parameters.Select(p => (p.name, (Tensor)p.parameter)),
            new Dictionary<string, string> { ["format"] = "pt" });
    }
}

using System.Text.Json;
using Whetstone.ML.Safetensors;

namespace Whetstone.ML.Lora;

/// <summary>
/// Saves and loads a LoRA adapter in PEFT's layout: adapter_config.json and adapter_model.safetensors with tensors
/// named "base_model.model.&lt;module path&gt;.lora_A.weight" / "….lora_B.weight".
/// </summary>
public static class PeftAdapterFiles
{
    /// <summary>The adapter configuration file name.</summary>
    public const string ConfigFileName = "adapter_config.json";

    /// <summary>The adapter weights file name.</summary>
    public const string WeightsFileName = "adapter_model.safetensors";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>Writes the adapter of <paramref name="lora"/> into <paramref name="directory"/> (created if needed).</summary>
    public static void Save(LoraModel lora, string directory, string? baseModelNameOrPath)
    {
        ArgumentNullException.ThrowIfNull(lora);
        Directory.CreateDirectory(directory);
        SafetensorsWriter.Write(Path.Combine(directory, WeightsFileName), lora.GetPeftTensors(), new Dictionary<string, string> { ["format"] = "pt" });
        var config = PeftAdapterConfig.FromOptions(lora.Options, baseModelNameOrPath);
        File.WriteAllText(Path.Combine(directory, ConfigFileName), JsonSerializer.Serialize(config, JsonOptions));
    }

    /// <summary>Reads adapter_config.json from <paramref name="directory"/>.</summary>
    public static PeftAdapterConfig ReadConfig(string directory)
    {
        var path = Path.Combine(directory, ConfigFileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: the adapter configuration is missing.", path);
        }

        try
        {
            var config = JsonSerializer.Deserialize<PeftAdapterConfig>(File.ReadAllText(path))
                ?? throw new InvalidDataException($"{path}: empty.");
            if (config.PeftType != "LORA")
            {
                throw new InvalidDataException($"{path}: peft_type is {config.PeftType}; only LORA adapters are supported.");
            }

            config.ToOptions().Validate();
            return config;
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{path} line {error.LineNumber + 1}: {error.Message}", error);
        }
    }

    /// <summary>Copies the adapter tensors of <paramref name="directory"/> into <paramref name="lora"/>'s adapters (names must match one to one).</summary>
    public static void LoadInto(LoraModel lora, string directory)
    {
        ArgumentNullException.ThrowIfNull(lora);
        var path = Path.Combine(directory, WeightsFileName);
        using var reader = SafetensorsReader.Open(path);
        var tensors = lora.GetPeftTensors();
        var expected = tensors.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var missing = expected.Where(name => !reader.Tensors.ContainsKey(name)).ToList();
        var unexpected = reader.Tensors.Keys.Where(name => !expected.Contains(name)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
        {
            throw new InvalidDataException(
                $"{path}: adapter tensors do not match the model: missing [{string.Join(", ", missing.Take(5))}], unexpected [{string.Join(", ", unexpected.Take(5))}].");
        }

        foreach (var (name, tensor) in tensors)
        {
            reader.ReadInto(name, tensor);
        }
    }
}

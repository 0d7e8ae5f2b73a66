using System.Text.Json.Serialization;

namespace Whetstone.ML.Lora;

/// <summary>adapter_config.json as PEFT writes it for a LoRA adapter of a causal language model.</summary>
public sealed record PeftAdapterConfig
{
    /// <summary>Always "LORA".</summary>
    [JsonPropertyName("peft_type")] public string PeftType { get; init; } = "LORA";

    /// <summary>Always "CAUSAL_LM".</summary>
    [JsonPropertyName("task_type")] public string TaskType { get; init; } = "CAUSAL_LM";

    /// <summary>Rank.</summary>
    [JsonPropertyName("r")] public int Rank { get; init; }

    /// <summary>Scale numerator.</summary>
    [JsonPropertyName("lora_alpha")] public double Alpha { get; init; }

    /// <summary>Adapter input dropout.</summary>
    [JsonPropertyName("lora_dropout")] public double Dropout { get; init; }

    /// <summary>Adapted module names.</summary>
    [JsonPropertyName("target_modules")] public IReadOnlyList<string> TargetModules { get; init; } = [];

    /// <summary>Where the base model came from (a URI or a Hugging Face id).</summary>
    [JsonPropertyName("base_model_name_or_path")] public string? BaseModelNameOrPath { get; init; }

    /// <summary>Biases are not trained.</summary>
    [JsonPropertyName("bias")] public string Bias { get; init; } = "none";

    /// <summary>Weights are stored (out, in), as torch Linear does.</summary>
    [JsonPropertyName("fan_in_fan_out")] public bool FanInFanOut { get; init; }

    /// <summary>The saved adapter is for inference.</summary>
    [JsonPropertyName("inference_mode")] public bool InferenceMode { get; init; } = true;

    /// <summary>Scaling is alpha / r, not alpha / sqrt(r).</summary>
    [JsonPropertyName("use_rslora")] public bool UseRsLora { get; init; }

    /// <summary>The options this file describes.</summary>
    public LoraOptions ToOptions() => new(Rank, Alpha, Dropout, TargetModules);

    /// <summary>The file for <paramref name="options"/>.</summary>
    public static PeftAdapterConfig FromOptions(LoraOptions options, string? baseModelNameOrPath)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new PeftAdapterConfig
        {
            Rank = options.Rank,
            Alpha = options.Alpha,
            Dropout = options.Dropout,
            TargetModules = [.. options.TargetModules],
            BaseModelNameOrPath = baseModelNameOrPath,
        };
    }
}

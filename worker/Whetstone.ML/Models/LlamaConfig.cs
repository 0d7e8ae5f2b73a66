using System.Text.Json;
using System.Text.Json.Serialization;

namespace Whetstone.ML.Models;

/// <summary>
/// The architecture of a Llama-family causal language model, read from and written to a Hugging Face
/// <c>config.json</c> (same field names, so either side can read the other's files).
/// </summary>
public sealed record LlamaConfig
{
    /// <summary>Number of token ids the embedding and output layer cover.</summary>
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; }

    /// <summary>Width of the residual stream.</summary>
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; }

    /// <summary>Width of the SwiGLU feed-forward layer.</summary>
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; }

    /// <summary>Number of decoder layers.</summary>
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; init; }

    /// <summary>Number of query heads.</summary>
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; init; }

    /// <summary>Number of key/value heads (grouped-query attention); null means one per query head.</summary>
    [JsonPropertyName("num_key_value_heads")] public int? NumKeyValueHeads { get; init; }

    /// <summary>Width of one attention head; null means <c>hidden_size / num_attention_heads</c>.</summary>
    [JsonPropertyName("head_dim")] public int? HeadDim { get; init; }

    /// <summary>Epsilon of the RMS normalisations.</summary>
    [JsonPropertyName("rms_norm_eps")] public double RmsNormEps { get; init; } = 1e-6;

    /// <summary>Base of the rotary position embedding frequencies.</summary>
    [JsonPropertyName("rope_theta")] public double RopeTheta { get; init; } = 10000.0;

    /// <summary>Longest sequence the model was trained for.</summary>
    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; init; } = 2048;

    /// <summary>Whether the output layer reuses the token embedding matrix (no separate <c>lm_head.weight</c>).</summary>
    [JsonPropertyName("tie_word_embeddings")] public bool TieWordEmbeddings { get; init; }

    /// <summary>Data type the weights are stored in: float32, float16 or bfloat16.</summary>
    [JsonPropertyName("torch_dtype")] public string TorchDtype { get; init; } = "float32";

    /// <summary>Activation of the feed-forward layer; only "silu" (SwiGLU) is supported.</summary>
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "silu";

    /// <summary>Whether the attention projections have biases; only false is supported.</summary>
    [JsonPropertyName("attention_bias")] public bool AttentionBias { get; init; }

    /// <summary>Whether the feed-forward projections have biases; only false is supported.</summary>
    [JsonPropertyName("mlp_bias")] public bool MlpBias { get; init; }

    /// <summary>Rotary scaling settings; only absent (null) is supported.</summary>
    [JsonPropertyName("rope_scaling")] public JsonElement? RopeScaling { get; init; }

    /// <summary>Id of the beginning-of-sequence token.</summary>
    [JsonPropertyName("bos_token_id")]
    [JsonConverter(typeof(TokenIdConverter))]
    public int? BosTokenId { get; init; }

    /// <summary>Id of the end-of-sequence token (the first one, when the file lists several).</summary>
    [JsonPropertyName("eos_token_id")]
    [JsonConverter(typeof(TokenIdConverter))]
    public int? EosTokenId { get; init; }

    /// <summary>Id of the padding token.</summary>
    [JsonPropertyName("pad_token_id")]
    [JsonConverter(typeof(TokenIdConverter))]
    public int? PadTokenId { get; init; }

    /// <summary>Hugging Face model type; "llama".</summary>
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "llama";

    /// <summary>Hugging Face architecture names; ["LlamaForCausalLM"].</summary>
    [JsonPropertyName("architectures")] public IReadOnlyList<string> Architectures { get; init; } = ["LlamaForCausalLM"];

    /// <summary>Key/value heads in effect.</summary>
    [JsonIgnore] public int KeyValueHeads => NumKeyValueHeads ?? NumAttentionHeads;

    /// <summary>Head width in effect.</summary>
    [JsonIgnore] public int AttentionHeadDim => HeadDim ?? HiddenSize / Math.Max(1, NumAttentionHeads);

    private static readonly JsonSerializerOptions WriteOptions = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Reads and validates a <c>config.json</c>; bad content is a <see cref="ModelFormatException"/> naming the file, field or line.</summary>
    public static LlamaConfig Load(string path)
    {
        LlamaConfig? config;
        try
        {
            using var stream = File.OpenRead(path);
            config = JsonSerializer.Deserialize<LlamaConfig>(stream);
        }
        catch (JsonException error)
        {
            throw new ModelFormatException($"{path}: line {(error.LineNumber ?? 0) + 1}: {error.Message}", error);
        }
        if (config is null)
        {
            throw new ModelFormatException($"{path}: the file holds no JSON object");
        }
        config.Validate(path);
        return config;
    }

    /// <summary>Writes this configuration as a Hugging Face <c>config.json</c>.</summary>
    public void Save(string path)
    {
        File.WriteAllText(path, JsonSerializer.Serialize(this, WriteOptions) + "\n");
    }

    /// <summary>Throws a <see cref="ModelFormatException"/> naming the first field that is out of range or unsupported.</summary>
    public void Validate(string source = "config")
    {
        RequirePositive(source, "vocab_size", VocabSize);
        RequirePositive(source, "hidden_size", HiddenSize);
        RequirePositive(source, "intermediate_size", IntermediateSize);
        RequirePositive(source, "num_hidden_layers", NumHiddenLayers);
        RequirePositive(source, "num_attention_heads", NumAttentionHeads);
        RequirePositive(source, "num_key_value_heads", KeyValueHeads);
        RequirePositive(source, "head_dim", AttentionHeadDim);
        Require(source, NumAttentionHeads % KeyValueHeads == 0, "num_key_value_heads", $"{KeyValueHeads} must divide num_attention_heads ({NumAttentionHeads})");
        Require(source, HeadDim is not null || HiddenSize % NumAttentionHeads == 0, "hidden_size", $"{HiddenSize} is not a multiple of num_attention_heads ({NumAttentionHeads})");
        Require(source, AttentionHeadDim % 2 == 0, "head_dim", $"{AttentionHeadDim} must be even for rotary embeddings");
        Require(source, RmsNormEps > 0, "rms_norm_eps", "must be positive");
        Require(source, RopeTheta > 0, "rope_theta", "must be positive");
        Require(source, HiddenAct == "silu", "hidden_act", $"'{HiddenAct}' is not supported (only silu)");
        Require(source, !AttentionBias, "attention_bias", "true is not supported");
        Require(source, !MlpBias, "mlp_bias", "true is not supported");
        Require(source, RopeScaling is null || RopeScaling.Value.ValueKind == JsonValueKind.Null, "rope_scaling", "is not supported");
        Require(source, ModelDtypes.TryParse(TorchDtype, out _), "torch_dtype", $"'{TorchDtype}' is not supported (float32, float16, bfloat16)");
        foreach (var (field, id) in new[] { ("bos_token_id", BosTokenId), ("eos_token_id", EosTokenId), ("pad_token_id", PadTokenId) })
        {
            Require(source, id is null || (id >= 0 && id < VocabSize), field, $"{id} is outside the vocabulary (vocab_size {VocabSize})");
        }
    }

    private static void RequirePositive(string source, string field, int value) =>
        Require(source, value > 0, field, $"must be positive, got {value}");

    private static void Require(string source, bool condition, string field, string problem)
    {
        if (!condition)
        {
            throw new ModelFormatException($"{source}: {field} {problem}");
        }
    }
}

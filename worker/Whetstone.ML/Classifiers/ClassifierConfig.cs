using System.Text.Json.Serialization;

namespace Whetstone.ML.Classifiers;

/// <summary>
/// <c>config.json</c> of a small feed-forward classifier (<c>model_type: whetstone-mlp-classifier</c>).
/// Weights live in <c>model.safetensors</c> as <c>layers.{i}.weight</c> [out, in] and <c>layers.{i}.bias</c> [out],
/// float32, for i = 0..HiddenSizes.Count; ReLU between layers, raw logits out. Inputs are scaled as
/// (x - <see cref="InputMean"/>) / <see cref="InputScale"/> inside the model, so callers pass raw features and
/// every backend (TorchSharp, ONNX Runtime) sees the same numbers.
/// </summary>
public sealed record ClassifierConfig
{
    /// <summary>The <c>model_type</c> value that marks a classifier directory.</summary>
    public const string ModelTypeName = "whetstone-mlp-classifier";

    /// <summary>Always <see cref="ModelTypeName"/>.</summary>
    [JsonPropertyName("model_type")]
    public string ModelType { get; init; } = ModelTypeName;

    /// <summary>Length of the feature vector.</summary>
    [JsonPropertyName("input_size")]
    public int InputSize { get; init; }

    /// <summary>Widths of the hidden layers, in order.</summary>
    [JsonPropertyName("hidden_sizes")]
    public IReadOnlyList<int> HiddenSizes { get; init; } = [];

    /// <summary>Class names; the output has one logit per label, in this order.</summary>
    [JsonPropertyName("labels")]
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Per-feature mean subtracted before the first layer (length <see cref="InputSize"/>).</summary>
    [JsonPropertyName("input_mean")]
    public IReadOnlyList<float> InputMean { get; init; } = [];

    /// <summary>Per-feature divisor applied after the mean (length <see cref="InputSize"/>; never 0).</summary>
    [JsonPropertyName("input_scale")]
    public IReadOnlyList<float> InputScale { get; init; } = [];
}

using System.Text.Json.Nodes;

namespace Whetstone.Artifacts.Models;

/// <summary>What the uploader knows about where a model came from; goes into its manifest.</summary>
/// <param name="Format">Model format: <c>whetstone</c> or <c>onnx</c>.</param>
/// <param name="Producer">What produced it.</param>
/// <param name="SourceModelDigest">Digest of the model it was derived from.</param>
/// <param name="DatasetDigest">Digest of the dataset version used.</param>
/// <param name="Parameters">Parameters used.</param>
public sealed record ModelProvenance(
    string Format = "whetstone",
    ModelProducer? Producer = null,
    string? SourceModelDigest = null,
    string? DatasetDigest = null,
    IReadOnlyDictionary<string, JsonNode?>? Parameters = null);

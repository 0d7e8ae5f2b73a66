using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Whetstone.Artifacts.Models;

/// <summary>
/// <c>manifest.json</c> of a model directory: provenance plus every file's digest and size. The model's digest is the
/// digest of this file's bytes, so one <c>sha256:</c> pins the whole directory.
/// </summary>
public sealed record ModelManifest
{
    /// <summary>Name of the manifest inside a model directory.</summary>
    public const string FileName = "manifest.json";

    /// <summary>Files a <c>whetstone</c>-format model must have.</summary>
    public static readonly IReadOnlyList<string> WhetstoneRequiredFiles = ["config.json", "model.safetensors", "tokenizer.json"];

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Model format: <c>whetstone</c> or <c>onnx</c>.</summary>
    [JsonPropertyName("format")]
    public string Format { get; init; } = "whetstone";

    /// <summary>What produced the model.</summary>
    [JsonPropertyName("producer")]
    public ModelProducer? Producer { get; init; }

    /// <summary>Digest of the model this one was derived from (fine-tuned or compressed).</summary>
    [JsonPropertyName("sourceModelDigest")]
    public string? SourceModelDigest { get; init; }

    /// <summary>Digest of the dataset version it was trained or calibrated on.</summary>
    [JsonPropertyName("datasetDigest")]
    public string? DatasetDigest { get; init; }

    /// <summary>Training or compression parameters, as given.</summary>
    [JsonPropertyName("parameters")]
    public IReadOnlyDictionary<string, JsonNode?> Parameters { get; init; } = new Dictionary<string, JsonNode?>();

    /// <summary>When the model was written.</summary>
    [JsonPropertyName("createdAt")]
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Every file of the directory except the manifest, in path order.</summary>
    [JsonPropertyName("files")]
    public IReadOnlyList<ModelFile> Files { get; init; } = [];

    /// <summary>The manifest as UTF-8 JSON (these bytes are what the model digest covers).</summary>
    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>Parses a manifest, naming <paramref name="source"/> in any error.</summary>
    public static ModelManifest Parse(ReadOnlySpan<byte> json, string source)
    {
        ModelManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModelManifest>(json, Json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: malformed model manifest at line {e.LineNumber + 1}: {e.Message}", e);
        }

        if (manifest is null || manifest.Files.Count == 0)
        {
            throw new FormatException($"{source}: model manifest lists no files");
        }

        foreach (var file in manifest.Files)
        {
            if (!ArtifactDigest.IsValid(file.Digest) || file.SizeBytes < 0 || string.IsNullOrEmpty(file.Path))
            {
                throw new FormatException($"{source}: manifest entry '{file.Path}' needs a path, a sha256 digest and a size");
            }

            ArtifactKeys.Validate(file.Path, $"{source}: files[].path");
        }

        return manifest;
    }
}

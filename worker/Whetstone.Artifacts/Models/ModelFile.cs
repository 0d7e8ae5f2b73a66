using System.Text.Json.Serialization;

namespace Whetstone.Artifacts.Models;

/// <summary>One file of a model directory as listed in its manifest.</summary>
/// <param name="Path">Path relative to the model directory, '/'-separated.</param>
/// <param name="Digest">The file's <c>sha256:</c> digest.</param>
/// <param name="SizeBytes">The file's length.</param>
public sealed record ModelFile(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("digest")] string Digest,
    [property: JsonPropertyName("sizeBytes")] long SizeBytes);

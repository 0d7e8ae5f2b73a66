namespace Whetstone.Artifacts.Models;

/// <summary>A model directory in a store: where, its digest (the manifest's), its total size and its manifest.</summary>
/// <param name="Uri">The model's folder URI (ending in '/').</param>
/// <param name="Digest">Digest of <c>manifest.json</c>: the model's identity.</param>
/// <param name="SizeBytes">Sum of all files, manifest included.</param>
/// <param name="Manifest">The manifest.</param>
public sealed record StoredModel(Uri Uri, string Digest, long SizeBytes, ModelManifest Manifest);

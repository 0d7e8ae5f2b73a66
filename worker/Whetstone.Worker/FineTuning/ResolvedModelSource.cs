namespace Whetstone.Worker.FineTuning;

/// <summary>A model source reduced to where the model is and which digest it must have.</summary>
/// <param name="Uri">The model directory (absolute; task-relative <c>file:</c> URIs already resolved).</param>
/// <param name="Digest">The digest to check (a pin, or the referenced job's recorded model digest); null: none.</param>
/// <param name="FineTuneJobRef">The FineTuneJob the model came from, when the spec named one.</param>
internal sealed record ResolvedModelSource(string Uri, string? Digest, string? FineTuneJobRef);

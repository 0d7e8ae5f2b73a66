using System.Text.Json.Nodes;

namespace Whetstone.Reliability.Tests.Fuzzing;

/// <summary>What the corpus starts from for one kind: its valid manifests, its CRD schema and its invalid examples.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="Plural">Its resource name.</param>
/// <param name="ValidManifests">Valid manifests from <c>examples/</c>.</param>
/// <param name="Schema">The <c>openAPIV3Schema</c> of its CRD in <c>crds/</c>.</param>
/// <param name="InvalidExamples">The files of <c>examples/invalid</c> for this kind, with the field their first line names.</param>
public sealed record KindSeed(
    string Kind, string Plural, IReadOnlyList<JsonObject> ValidManifests, JsonObject Schema, IReadOnlyList<(JsonObject Manifest, string Field)> InvalidExamples);

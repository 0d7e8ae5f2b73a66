using System.Text.Json.Nodes;

namespace Whetstone.LocalCluster.CustomResources;

/// <summary>The result of validating a custom resource.</summary>
internal sealed record SchemaOutcome(JsonObject Object, IReadOnlyList<SchemaFieldError> Errors, IReadOnlyList<string> Warnings);

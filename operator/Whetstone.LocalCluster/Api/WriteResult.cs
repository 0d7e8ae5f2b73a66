using System.Text.Json.Nodes;

namespace Whetstone.LocalCluster.Api;

/// <summary>
/// The object a write produced, the HTTP code to answer with, Warning headers, and the object's stored JSON
/// when it was committed (so the response reuses it instead of serializing again).
/// </summary>
internal sealed record WriteResult(JsonObject Object, int StatusCode, IReadOnlyList<string> Warnings, string? Json = null);

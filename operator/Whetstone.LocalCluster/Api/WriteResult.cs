using System.Text.Json.Nodes;

namespace Whetstone.LocalCluster.Api;

/// <summary>The object a write produced, the HTTP code to answer with, and Warning headers.</summary>
internal sealed record WriteResult(JsonObject Object, int StatusCode, IReadOnlyList<string> Warnings);

using System.Text.Json.Nodes;

namespace Whetstone.Chart.Tests.Rendering;

/// <summary>One object of the rendered chart: its identity, its YAML text and the same as JSON for assertions.</summary>
internal sealed record RenderedObject(string ApiVersion, string Kind, string Name, string? Namespace, string Yaml, JsonObject Json)
{
    public override string ToString() => $"{ApiVersion}/{Kind} {Namespace}/{Name}";
}

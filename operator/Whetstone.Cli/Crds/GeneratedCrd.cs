using System.Text.Json.Nodes;

namespace Whetstone.Cli.Crds;

/// <summary>One generated CustomResourceDefinition.</summary>
/// <param name="FileName">File name under <c>crds/</c>: <c>&lt;plural&gt;.whetstone.dev.yaml</c>.</param>
/// <param name="EntityType">The API type it was generated from.</param>
/// <param name="Definition">The CRD as a JSON tree.</param>
/// <param name="Yaml">The CRD as the YAML text written to the file.</param>
internal sealed record GeneratedCrd(string FileName, Type EntityType, JsonObject Definition, string Yaml)
{
    /// <summary>The openAPIV3Schema of the single version.</summary>
    public JsonObject OpenApiV3Schema =>
        (JsonObject)Definition["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!;
}

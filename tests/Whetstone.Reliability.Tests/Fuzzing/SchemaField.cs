using System.Text.Json.Nodes;

namespace Whetstone.Reliability.Tests.Fuzzing;

/// <summary>A field present in a valid manifest, with the schema that declares it.</summary>
/// <param name="Path">The path from the object's root: property names and list indexes.</param>
/// <param name="Schema">The field's schema node.</param>
/// <param name="Parent">The schema of the object or list holding it.</param>
public sealed record SchemaField(IReadOnlyList<object> Path, JsonObject Schema, JsonObject Parent)
{
    /// <summary>The path as kube-apiserver prints it: <c>spec.steps[0].quantize.type</c>.</summary>
    public string Text => FieldPaths.Format(Path);

    /// <summary>The schema's type, or "" (int-or-string, preserved unknown fields).</summary>
    public string Type => Schema["type"]?.GetValue<string>() ?? "";

    /// <summary>Whether the field is an entry of a map (additionalProperties), whose errors kube prints differently.</summary>
    public bool InMap => Parent["additionalProperties"] is JsonObject;
}

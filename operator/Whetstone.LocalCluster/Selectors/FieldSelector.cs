using System.Text.Json.Nodes;
using Whetstone.LocalCluster.Api;

namespace Whetstone.LocalCluster.Selectors;

/// <summary>
/// A parsed fieldSelector (<c>path=v</c>, <c>path==v</c>, <c>path!=v</c>, comma-joined). Paths are dotted
/// field paths into the object: metadata.name, metadata.namespace, status.phase, spec.nodeName,
/// involvedObject.name (which kubectl describe uses for events) and any other scalar field.
/// </summary>
internal sealed class FieldSelector
{
    private readonly List<(string[] Path, string Value, bool Negated)> _terms = [];

    public static FieldSelector Everything { get; } = new();

    public bool IsEmpty => _terms.Count == 0;

    /// <summary>The name when the selector is exactly <c>metadata.name=x</c> (kubectl get -w / wait use it).</summary>
    public string? SingleName => _terms is [{ Path: ["metadata", "name"], Negated: false } term] ? term.Value : null;

    public static FieldSelector Parse(string? text)
    {
        var selector = new FieldSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            var (op, index) = part.IndexOf("!=", StringComparison.Ordinal) is var ne and > 0 ? ("!=", ne)
                : part.IndexOf("==", StringComparison.Ordinal) is var eq and > 0 ? ("==", eq)
                : ("=", part.IndexOf('=', StringComparison.Ordinal));
            if (index <= 0)
            {
                throw ApiException.BadRequest($"invalid field selector: '{part}': expected path=value");
            }
            selector._terms.Add((part[..index].Trim().Split('.'), part[(index + op.Length)..].Trim(), op == "!="));
        }
        return selector;
    }

    public bool Matches(JsonObject obj)
    {
        foreach (var (path, value, negated) in _terms)
        {
            JsonNode? node = obj;
            foreach (var segment in path)
            {
                node = node is JsonObject o ? o[segment] : null;
            }
            var actual = node switch
            {
                null => "",
                JsonValue v when v.TryGetValue<string>(out var s) => s,
                _ => node.ToJsonString(),
            };
            if ((actual == value) == negated)
            {
                return false;
            }
        }
        return true;
    }
}

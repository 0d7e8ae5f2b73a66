using System.Text.Json.Nodes;
using Whetstone.LocalCluster.Api;

namespace Whetstone.LocalCluster.Selectors;

/// <summary>
/// A parsed labelSelector: <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k in (a,b)</c>, <c>k notin (a,b)</c>,
/// <c>k</c> (exists) and <c>!k</c> (does not exist), joined by commas (all must hold).
/// </summary>
internal sealed class LabelSelector
{
    private readonly List<Func<JsonObject?, bool>> _requirements = [];

    public static LabelSelector Everything { get; } = new();

    public bool IsEmpty => _requirements.Count == 0;

    public bool Matches(JsonObject? labels) => _requirements.All(r => r(labels));

    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }
        foreach (var part in SplitTopLevel(text))
        {
            selector._requirements.Add(ParseRequirement(part.Trim(), text));
        }
        return selector;
    }

    private static Func<JsonObject?, bool> ParseRequirement(string part, string whole)
    {
        if (part.Length == 0)
        {
            throw Invalid(whole);
        }
        if (part.StartsWith('!'))
        {
            var key = part[1..].Trim();
            return labels => labels?[key] is null;
        }
        var setMatch = System.Text.RegularExpressions.Regex.Match(part, @"^(\S+)\s+(in|notin)\s*\((.*)\)$");
        if (setMatch.Success)
        {
            var key = setMatch.Groups[1].Value;
            var values = setMatch.Groups[3].Value.Split(',').Select(v => v.Trim()).Where(v => v.Length > 0).ToHashSet(StringComparer.Ordinal);
            return setMatch.Groups[2].Value == "in"
                ? labels => Value(labels, key) is { } v && values.Contains(v)
                : labels => Value(labels, key) is not { } v || !values.Contains(v);
        }
        foreach (var op in new[] { "!=", "==", "=" })
        {
            var index = part.IndexOf(op, StringComparison.Ordinal);
            if (index > 0)
            {
                var key = part[..index].Trim();
                var expected = part[(index + op.Length)..].Trim();
                return op == "!="
                    ? labels => Value(labels, key) != expected
                    : labels => Value(labels, key) == expected;
            }
        }
        if (part.Any(char.IsWhiteSpace) || part.Contains('(') || part.Contains(')'))
        {
            throw Invalid(whole);
        }
        return labels => labels?[part] is not null;
    }

    private static string? Value(JsonObject? labels, string key) =>
        labels?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    internal static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(': depth++; break;
                case ')': depth--; break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }
        yield return text[start..];
    }

    private static ApiException Invalid(string text) =>
        ApiException.BadRequest($"unable to parse requirement: found '{text}', expected: identifier");
}

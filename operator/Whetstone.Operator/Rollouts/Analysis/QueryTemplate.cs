using System.Globalization;
using System.Text.RegularExpressions;

namespace Whetstone.Operator.Rollouts.Analysis;

/// <summary>
/// Resolves the placeholders of an analysis query: <c>{{rollout}}</c> (the ModelRollout's name), <c>{{namespace}}</c>,
/// <c>{{track}}</c> (<c>stable</c> or <c>canary</c>, in compare queries), <c>{{version}}</c> (that track's version)
/// and <c>{{window}}</c> (seconds since the analysis started, such as <c>754s</c>, for
/// <c>increase(…[{{window}}])</c>). An unknown placeholder is an error naming it, never sent to Prometheus.
/// </summary>
public static partial class QueryTemplate
{
    /// <summary>The placeholders understood.</summary>
    public static IReadOnlyList<string> Placeholders { get; } = ["rollout", "namespace", "track", "version", "window"];

    /// <summary>Replaces every placeholder; throws <see cref="FormatException"/> naming an unknown one.</summary>
    public static string Resolve(string template, QueryContext context)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(context);
        return Placeholder().Replace(template, match => match.Groups[1].Value switch
        {
            "rollout" => context.Rollout,
            "namespace" => context.Namespace,
            "track" => context.Track ?? throw new FormatException("{{track}} is only defined in compare queries (successQuery, totalQuery)"),
            "version" => context.Version ?? throw new FormatException("{{version}} is only defined in compare queries (successQuery, totalQuery)"),
            "window" => string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (long)Math.Ceiling(context.Window.TotalSeconds))}s"),
            var other => throw new FormatException($"unknown placeholder {{{{{other}}}}}; known: {string.Join(", ", Placeholders.Select(p => "{{" + p + "}}"))}"),
        });
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z]+)\s*\}\}")]
    private static partial Regex Placeholder();
}

using System.Text.Json.Nodes;

namespace Whetstone.LocalCluster.Gateway;

/// <summary>
/// Every (rule, match) of the HTTPRoutes attached to the gateway, in the Gateway API's precedence order: an Exact
/// path before a prefix, longer prefixes first, then a method match, more header matches, more query matches,
/// then the older route, then namespace/name, then rule order. The first entry that matches a request wins.
/// </summary>
public sealed class RouteTable
{
    private readonly IReadOnlyList<(RouteRule Rule, RouteMatch Match)> _entries;

    private RouteTable(IReadOnlyList<(RouteRule, RouteMatch)> entries) => _entries = entries;

    /// <summary>How many (rule, match) entries the table holds.</summary>
    public int Count => _entries.Count;

    /// <summary>Builds the table from the routes that have a parentRef to <paramref name="gatewayName"/>.</summary>
    public static RouteTable Build(IEnumerable<JsonObject> routes, string gatewayName)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var entries = routes
            .Where(route => HttpRouteReader.AttachedParentRefs(route, gatewayName).Count > 0)
            .SelectMany(HttpRouteReader.ReadRules)
            .SelectMany(rule => rule.Matches.Select(match => (Rule: rule, Match: match)))
            .OrderBy(e => e.Match.PathType == "Exact" ? 0 : 1)
            .ThenByDescending(e => e.Match.PathValue.Length)
            .ThenBy(e => e.Match.Method is null ? 1 : 0)
            .ThenByDescending(e => e.Match.Headers.Count)
            .ThenByDescending(e => e.Match.QueryParams.Count)
            .ThenBy(e => e.Rule.RouteCreated)
            .ThenBy(e => e.Rule.RouteNamespace, StringComparer.Ordinal)
            .ThenBy(e => e.Rule.RouteName, StringComparer.Ordinal)
            .ThenBy(e => e.Rule.Index)
            .ToList();
        return new RouteTable(entries);
    }

    /// <summary>The rule that serves <paramref name="request"/>, or null (the gateway then answers 404).</summary>
    public RouteRule? Find(RouteRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var (rule, match) in _entries)
        {
            if (rule.MatchesHost(request.Host) && match.Matches(request))
            {
                return rule;
            }
        }

        return null;
    }
}

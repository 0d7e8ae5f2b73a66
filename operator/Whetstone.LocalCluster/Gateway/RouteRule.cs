namespace Whetstone.LocalCluster.Gateway;

/// <summary>One rule of one HTTPRoute, with what the route adds to it (its name, hostnames and age, for precedence).</summary>
/// <param name="RouteNamespace">The route's namespace.</param>
/// <param name="RouteName">The route's name.</param>
/// <param name="RouteCreated">The route's creationTimestamp (older routes win ties).</param>
/// <param name="Hostnames">The route's hostnames (empty matches any Host).</param>
/// <param name="Index">The rule's position in the route.</param>
/// <param name="Matches">The rule's matches (any one suffices).</param>
/// <param name="Backends">Where matching requests go.</param>
/// <param name="StickyHeader">
/// The request header that assigns a user to a backend by <see cref="StickyBuckets"/> (the route's
/// <c>whetstone.dev/sticky-header</c> annotation); null: every request is weighted on its own.
/// </param>
public sealed record RouteRule(
    string RouteNamespace, string RouteName, DateTime RouteCreated, IReadOnlyList<string> Hostnames, int Index,
    IReadOnlyList<RouteMatch> Matches, IReadOnlyList<RouteBackend> Backends, string? StickyHeader = null)
{
    /// <summary>Whether the Host matches one of the route's hostnames (exact, or <c>*.suffix</c> for one or more labels).</summary>
    public bool MatchesHost(string host) =>
        Hostnames.Count == 0 || Hostnames.Any(name => name.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(name[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(name, host, StringComparison.OrdinalIgnoreCase));
}

using System.Globalization;
using System.Text.Json.Nodes;

namespace Whetstone.LocalCluster.Gateway;

/// <summary>
/// Reads HTTPRoute objects (as stored JSON, defaults applied by the CRD schema) into <see cref="RouteRule"/>s, with
/// the route's <c>whetstone.dev/sticky-header</c> annotation on each rule.
/// </summary>
public static class HttpRouteReader
{
    /// <summary>The parentRefs of <paramref name="route"/> that name the Gateway <paramref name="gatewayName"/>.</summary>
    public static IReadOnlyList<JsonObject> AttachedParentRefs(JsonObject route, string gatewayName)
    {
        ArgumentNullException.ThrowIfNull(route);
        return [.. (route["spec"]?["parentRefs"] as JsonArray ?? []).OfType<JsonObject>().Where(parent =>
            Text(parent["name"]) == gatewayName
            && (Text(parent["kind"]) ?? "Gateway") == "Gateway"
            && (Text(parent["group"]) ?? HttpRouteCrd.Group) == HttpRouteCrd.Group)];
    }

    /// <summary>The route's rules, in order.</summary>
    public static IReadOnlyList<RouteRule> ReadRules(JsonObject route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var metadata = route["metadata"] as JsonObject ?? [];
        var ns = Text(metadata["namespace"]) ?? "default";
        var name = Text(metadata["name"]) ?? "";
        var created = DateTime.TryParse(Text(metadata["creationTimestamp"]), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var at)
            ? at : DateTime.MinValue;
        var hostnames = Strings(route["spec"]?["hostnames"]);
        var sticky = Text(metadata["annotations"]?[StickyBuckets.RouteAnnotation]) is { Length: > 0 } header ? header.Trim() : null;
        var rules = (route["spec"]?["rules"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        return [.. rules.Select((rule, index) => new RouteRule(ns, name, created, hostnames, index, ReadMatches(rule), ReadBackends(rule, ns), sticky))];
    }

    private static List<RouteMatch> ReadMatches(JsonObject rule)
    {
        var matches = (rule["matches"] as JsonArray ?? []).OfType<JsonObject>().Select(match => new RouteMatch(
            Text(match["path"]?["type"]) ?? "PathPrefix",
            Text(match["path"]?["value"]) ?? "/",
            Pairs(match["headers"]),
            Pairs(match["queryParams"]),
            Text(match["method"]))).ToList();
        return matches.Count > 0 ? matches : [new RouteMatch("PathPrefix", "/", [], [], null)];
    }

    private static List<RouteBackend> ReadBackends(JsonObject rule, string routeNamespace) =>
        [.. (rule["backendRefs"] as JsonArray ?? []).OfType<JsonObject>().Select(backend => new RouteBackend(
            Text(backend["namespace"]) ?? routeNamespace,
            Text(backend["name"]) ?? "",
            (int)(Api.JsonInteger.Read(backend["port"]) ?? 0),
            (int)(Api.JsonInteger.Read(backend["weight"]) ?? 1),
            (Text(backend["group"]) ?? "") == "" && (Text(backend["kind"]) ?? "Service") == "Service"))];

    // Only Exact matches are served; a RegularExpression one is kept with a value that cannot match a real header.
    private static List<KeyValuePair<string, string>> Pairs(JsonNode? list) =>
        [.. (list as JsonArray ?? []).OfType<JsonObject>().Select(pair => new KeyValuePair<string, string>(
            Text(pair["name"]) ?? "", (Text(pair["type"]) ?? "Exact") == "Exact" ? Text(pair["value"]) ?? "" : "\0unsupported"))];

    private static List<string> Strings(JsonNode? list) => [.. (list as JsonArray ?? []).Select(Text).OfType<string>()];

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}

using System.Globalization;
using System.Text.Json.Nodes;

namespace Whetstone.LocalCluster.Gateway;

/// <summary>
/// The <c>status.parents</c> a Gateway API controller writes for a route attached to its Gateway: per parentRef,
/// <c>Accepted</c> (True, reason Accepted) and <c>ResolvedRefs</c> (True, reason ResolvedRefs; or False with
/// InvalidKind for a backendRef that is not a core Service, BackendNotFound for a Service that does not exist),
/// with the route's generation. Entries of other controllers are kept; a condition keeps its
/// lastTransitionTime while its status is unchanged.
/// </summary>
public static class HttpRouteStatusBuilder
{
    /// <summary>The route's new status.</summary>
    public static JsonObject Build(JsonObject route, GatewayOptions options, Func<string, string, bool> serviceExists, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(serviceExists);
        var generation = Api.JsonInteger.Read(route["metadata"]?["generation"]) ?? 1;
        var previous = (route["status"]?["parents"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var parents = new JsonArray([.. previous.Where(p => Text(p["controllerName"]) != options.ControllerName).Select(p => p.DeepClone())]);
        var (resolved, reason, message) = CalculateResolvedRefs(HttpRouteReader.ReadRules(route).SelectMany(r => r.Backends), serviceExists);
        foreach (var parentRef in HttpRouteReader.AttachedParentRefs(route, options.GatewayName))
        {
            var before = previous.FirstOrDefault(p => Text(p["controllerName"]) == options.ControllerName && JsonNode.DeepEquals(p["parentRef"], parentRef));
            parents.Add(new JsonObject
            {
                ["parentRef"] = parentRef.DeepClone(),
                ["controllerName"] = options.ControllerName,
                ["conditions"] = new JsonArray(
                    Condition(before, "Accepted", true, "Accepted", "Route is accepted by the embedded gateway", generation, now),
                    Condition(before, "ResolvedRefs", resolved, reason, message, generation, now)),
            });
        }

        return new JsonObject { ["parents"] = parents };
    }

    private static (bool Resolved, string Reason, string Message) CalculateResolvedRefs(IEnumerable<RouteBackend> backends, Func<string, string, bool> serviceExists)
    {
        var list = backends.ToList();
        if (list.FirstOrDefault(b => !b.IsService) is { } other)
        {
            return (false, "InvalidKind", $"backendRef {other.Service} is not a core Service");
        }

        if (list.FirstOrDefault(b => !serviceExists(b.Namespace, b.Service)) is { } missing)
        {
            return (false, "BackendNotFound", $"Service {missing.Namespace}/{missing.Service} not found");
        }

        return (true, "ResolvedRefs", "All references resolved");
    }

    private static JsonObject Condition(JsonObject? parent, string type, bool status, string reason, string message, long generation, DateTime now)
    {
        var text = status ? "True" : "False";
        var before = (parent?["conditions"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => Text(c["type"]) == type);
        var since = before is not null && Text(before["status"]) == text ? Text(before["lastTransitionTime"]) : null;
        return new JsonObject
        {
            ["type"] = type,
            ["status"] = text,
            ["reason"] = reason,
            ["message"] = message,
            ["lastTransitionTime"] = since ?? now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["observedGeneration"] = generation,
        };
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}

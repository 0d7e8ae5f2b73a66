using System.Text.Json.Nodes;
using Whetstone.LocalCluster.Gateway;

namespace Whetstone.LocalCluster.Tests.Gateway;

public sealed class HttpRouteStatusBuilderTest
{
    private static readonly DateTime Now = new(2026, 12, 4, 12, 0, 0, DateTimeKind.Utc);

    private static JsonObject Route(string status = "{}") => (JsonObject)JsonNode.Parse($$"""
        {"metadata": {"name": "r", "namespace": "shop", "generation": 4},
         "spec": {"parentRefs": [{"name": "whetstone"}], "rules": [{"backendRefs": [{"name": "stable", "port": 80}, {"name": "canary", "port": 80}]}]},
         "status": {{status}}}
        """)!;

    private static JsonObject ConditionOf(JsonObject status, string type) =>
        status["parents"]!.AsArray().OfType<JsonObject>().Single(p => p["controllerName"]!.GetValue<string>() == new GatewayOptions().ControllerName)["conditions"]!
            .AsArray().OfType<JsonObject>().Single(c => c["type"]!.GetValue<string>() == type);

    [Fact]
    public void A_missing_service_is_BackendNotFound_while_the_route_stays_Accepted()
    {
        var status = HttpRouteStatusBuilder.Build(Route(), new GatewayOptions(), (_, name) => name == "stable", Now);

        Assert.Equal("True", ConditionOf(status, "Accepted")["status"]!.GetValue<string>());
        Assert.Equal("BackendNotFound", ConditionOf(status, "ResolvedRefs")["reason"]!.GetValue<string>());
        Assert.Equal(4, ConditionOf(status, "ResolvedRefs")["observedGeneration"]!.GetValue<long>());
    }

    [Fact]
    public void Other_controllers_entries_are_kept_and_an_unchanged_condition_keeps_its_transition_time()
    {
        var first = HttpRouteStatusBuilder.Build(Route(), new GatewayOptions(), (_, _) => true, Now);
        first["parents"]!.AsArray().Add(new JsonObject { ["controllerName"] = "example.com/other", ["parentRef"] = new JsonObject { ["name"] = "other" } });

        var later = HttpRouteStatusBuilder.Build(Route(first.ToJsonString()), new GatewayOptions(), (_, _) => true, Now.AddHours(1));

        Assert.Equal("2026-12-04T12:00:00Z", ConditionOf(later, "ResolvedRefs")["lastTransitionTime"]!.GetValue<string>());
        Assert.Contains(later["parents"]!.AsArray(), p => p!["controllerName"]!.GetValue<string>() == "example.com/other");
    }
}

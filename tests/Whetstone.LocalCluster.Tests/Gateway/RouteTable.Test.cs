using System.Text.Json.Nodes;
using Whetstone.LocalCluster.Gateway;

namespace Whetstone.LocalCluster.Tests.Gateway;

public sealed class RouteTableTest
{
    private static JsonObject Route(string name, string rules, string parent = "whetstone", string hostnames = "[]") =>
        (JsonObject)JsonNode.Parse($$"""
            {"metadata": {"name": "{{name}}", "namespace": "shop", "creationTimestamp": "2026-12-04T10:00:00Z"},
             "spec": {"parentRefs": [{"name": "{{parent}}"}], "hostnames": {{hostnames}}, "rules": {{rules}} } }
            """)!;

    private static RouteRequest Request(string path, string host = "localhost", params (string Name, string Value)[] headers) =>
        new(host, path, "GET", headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase), new Dictionary<string, string>());

    [Fact]
    public void An_exact_path_beats_a_prefix_and_a_longer_prefix_beats_a_shorter_one()
    {
        var table = RouteTable.Build([Route("r", """
            [{"matches": [{"path": {"type": "PathPrefix", "value": "/"}}], "backendRefs": [{"name": "root", "port": 80}]},
             {"matches": [{"path": {"type": "PathPrefix", "value": "/api"}}], "backendRefs": [{"name": "api", "port": 80}]},
             {"matches": [{"path": {"type": "Exact", "value": "/api/health"}}], "backendRefs": [{"name": "health", "port": 80}]}]
            """)], "whetstone");

        Assert.Equal("health", table.Find(Request("/api/health"))!.Backends.Single().Service);
        Assert.Equal("api", table.Find(Request("/api/health/deep"))!.Backends.Single().Service);
        Assert.Equal("root", table.Find(Request("/apiary"))!.Backends.Single().Service);
    }

    [Fact]
    public void A_header_match_wins_over_the_same_path_without_headers_and_only_when_the_value_is_exact()
    {
        var table = RouteTable.Build([Route("r", """
            [{"backendRefs": [{"name": "stable", "port": 80}]},
             {"matches": [{"headers": [{"name": "X-Track", "value": "canary"}]}], "backendRefs": [{"name": "canary", "port": 80}]}]
            """)], "whetstone");

        Assert.Equal("canary", table.Find(Request("/", headers: ("x-track", "canary")))!.Backends.Single().Service);
        Assert.Equal("stable", table.Find(Request("/", headers: ("x-track", "Canary")))!.Backends.Single().Service);
        Assert.Equal("stable", table.Find(Request("/"))!.Backends.Single().Service);
    }

    [Fact]
    public void Routes_of_other_gateways_and_other_hostnames_are_not_served()
    {
        var table = RouteTable.Build(
        [
            Route("elsewhere", """[{"backendRefs": [{"name": "x", "port": 80}]}]""", parent: "other"),
            Route("hosted", """[{"backendRefs": [{"name": "shop", "port": 80}]}]""", hostnames: """["*.example.com"]"""),
        ], "whetstone");

        Assert.Equal("shop", table.Find(Request("/", host: "api.example.com"))!.Backends.Single().Service);
        Assert.Null(table.Find(Request("/", host: "localhost")));
    }
}

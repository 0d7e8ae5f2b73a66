using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Whetstone.LocalCluster.Tests.Api;

/// <summary>What kubectl reads before anything else: discovery (legacy and aggregated) and OpenAPI v3.</summary>
[Collection(LocalClusterCollection.Name)]
public sealed class DiscoveryAndOpenApiTest(LocalClusterFixture cluster)
{
    private async Task<(string ContentType, JsonNode Body)> GetAsync(string path, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(cluster.Server.BaseAddress, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(Path.Combine(cluster.Server.DataDirectory, "token")).Trim());
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        using var response = await cluster.Client.HttpClient.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
        return (response.Content.Headers.ContentType!.ToString(), JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    [Fact]
    public async Task Aggregated_discovery_lists_the_custom_resource_with_its_subresources()
    {
        var (contentType, body) = await GetAsync("apis", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");
        Assert.Contains("as=APIGroupDiscoveryList", contentType);
        var group = body["items"]!.AsArray().Single(i => i!["metadata"]!["name"]?.GetValue<string>() == LocalClusterFixture.Group)!;
        var widgets = group["versions"]![0]!["resources"]!.AsArray().Single(r => r!["resource"]!.GetValue<string>() == "widgets")!;
        Assert.Equal("Widget", widgets["responseKind"]!["kind"]!.GetValue<string>());
        Assert.Equal("Namespaced", widgets["scope"]!.GetValue<string>());
        Assert.Equal("status", widgets["subresources"]![0]!["subresource"]!.GetValue<string>());
    }

    [Fact]
    public async Task Legacy_resource_list_names_verbs_short_names_and_kinds()
    {
        var (_, body) = await GetAsync("api/v1");
        var pods = body["resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == "pods")!;
        Assert.Equal("Pod", pods["kind"]!.GetValue<string>());
        Assert.Contains("watch", pods["verbs"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Contains("po", pods["shortNames"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Contains(body["resources"]!.AsArray(), r => r!["name"]!.GetValue<string>() == "pods/log");
    }

    [Fact]
    public async Task OpenApi_v3_serves_the_crd_schema_with_gvk_and_field_validation_on_patch()
    {
        var (_, root) = await GetAsync("openapi/v3");
        var url = root["paths"]!["apis/test.whetstone.dev/v1"]!["serverRelativeURL"]!.GetValue<string>();
        var (_, document) = await GetAsync(url.TrimStart('/'));
        var schema = document["components"]!["schemas"]!["dev.whetstone.test.v1.Widget"]!;
        Assert.Equal("Widget", schema["x-kubernetes-group-version-kind"]![0]!["kind"]!.GetValue<string>());
        Assert.Equal("How big.", schema["properties"]!["spec"]!["properties"]!["size"]!["description"]!.GetValue<string>());
        var patch = document["paths"]!["/apis/test.whetstone.dev/v1/namespaces/{namespace}/widgets/{name}"]!["patch"]!;
        Assert.Contains(patch["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "fieldValidation");
    }
}

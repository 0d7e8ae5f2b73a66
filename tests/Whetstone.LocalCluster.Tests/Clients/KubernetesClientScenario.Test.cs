using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Whetstone.LocalCluster.Tests.Clients;

/// <summary>The C# KubernetesClient (what the operator uses) against the server, typed and custom objects.</summary>
[Collection(LocalClusterCollection.Name)]
public sealed class KubernetesClientScenarioTest(LocalClusterFixture cluster)
{
    private const string G = LocalClusterFixture.Group;
    private const string V = LocalClusterFixture.Version;
    private const string P = LocalClusterFixture.Plural;

    private static Dictionary<string, object> Widget(string name, int size) => new()
    {
        ["apiVersion"] = $"{G}/{V}",
        ["kind"] = "Widget",
        ["metadata"] = new Dictionary<string, object> { ["name"] = name, ["labels"] = new Dictionary<string, string> { ["app"] = "cs" } },
        ["spec"] = new Dictionary<string, object> { ["size"] = size },
    };

    [Fact]
    public async Task Custom_objects_round_trip_with_status_subresource_semantics()
    {
        var ns = await cluster.CreateNamespaceAsync("cs-crud");
        var client = cluster.Client;
        var created = (JsonElement)await client.CustomObjects.CreateNamespacedCustomObjectAsync(Widget("w", 2), G, V, ns, P);
        Assert.Equal("red", created.GetProperty("spec").GetProperty("color").GetString());

        // A main-resource write ignores status; a status write ignores spec.
        var withStatus = JsonSerializer.Deserialize<Dictionary<string, object>>(created.GetRawText())!;
        withStatus["status"] = new Dictionary<string, object> { ["conditions"] = new[] { new Dictionary<string, string> { ["type"] = "Ready", ["status"] = "True" } } };
        var replaced = (JsonElement)await client.CustomObjects.ReplaceNamespacedCustomObjectAsync(withStatus, G, V, ns, P, "w");
        Assert.False(replaced.TryGetProperty("status", out _));
        Assert.Equal(created.GetProperty("metadata").GetProperty("resourceVersion").GetString(), replaced.GetProperty("metadata").GetProperty("resourceVersion").GetString());

        var statusPatch = new V1Patch("""{"status":{"conditions":[{"type":"Ready","status":"True"}]},"spec":{"size":99}}""", V1Patch.PatchType.MergePatch);
        var afterStatus = (JsonElement)await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(statusPatch, G, V, ns, P, "w");
        Assert.Equal(2, afterStatus.GetProperty("spec").GetProperty("size").GetInt32());
        Assert.Equal("True", afterStatus.GetProperty("status").GetProperty("conditions")[0].GetProperty("status").GetString());
        Assert.Equal(1, afterStatus.GetProperty("metadata").GetProperty("generation").GetInt32());

        var invalid = await Assert.ThrowsAsync<HttpOperationException>(() => client.CustomObjects.CreateNamespacedCustomObjectAsync(Widget("bad", 0), G, V, ns, P));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.Response.StatusCode);
        Assert.Contains("spec.size", invalid.Response.Content);

        var list = (JsonElement)await client.CustomObjects.ListNamespacedCustomObjectAsync(G, V, ns, P, labelSelector: "app=cs");
        Assert.Equal(1, list.GetProperty("items").GetArrayLength());
        await client.CustomObjects.DeleteNamespacedCustomObjectAsync(G, V, ns, P, "w");
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => client.CustomObjects.GetNamespacedCustomObjectAsync(G, V, ns, P, "w"));
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
    }

    [Fact]
    public async Task Typed_built_ins_support_generate_name_field_selectors_and_pagination()
    {
        var ns = await cluster.CreateNamespaceAsync("cs-typed");
        var client = cluster.Client;
        for (var i = 0; i < 7; i++)
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { GenerateName = "gen-" }, Data = new Dictionary<string, string> { ["i"] = $"{i}" } }, ns);
        }
        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await client.CoreV1.ListNamespacedConfigMapAsync(ns, limit: 3, continueParameter: token);
            Assert.True(page.Items.Count <= 3);
            names.AddRange(page.Items.Select(c => c.Metadata.Name));
            token = page.Metadata.ContinueProperty;
            pages++;
        }
        while (!string.IsNullOrEmpty(token));
        Assert.Equal(3, pages);
        Assert.Equal(7, names.Distinct().Count());
        Assert.All(names, n => Assert.Matches("^gen-[a-z0-9]{5}$", n));

        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "worker:1" }], NodeName = "local" },
        };
        await client.CoreV1.CreateNamespacedPodAsync(pod, ns);
        Assert.Single((await client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: "spec.nodeName=local,status.phase=Pending")).Items);

        var unbound = await client.CoreV1.CreateNamespacedPodAsync(new V1Pod { Metadata = new V1ObjectMeta { Name = "q" }, Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "worker:1" }] } }, ns);
        var binding = new V1Binding { Metadata = new V1ObjectMeta { Name = "q", Uid = unbound.Metadata.Uid }, Target = new V1ObjectReference { Kind = "Node", Name = "local" } };
        await client.CoreV1.CreateNamespacedPodBindingAsync(binding, "q", ns);
        Assert.Equal("local", (await client.CoreV1.ReadNamespacedPodAsync("q", ns)).Spec.NodeName);
        var again = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedPodBindingAsync(binding, "q", ns));
        Assert.Equal(HttpStatusCode.Conflict, again.Response.StatusCode);
        Assert.Empty((await client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: "status.phase=Running")).Items);
        Assert.Single((await client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: $"metadata.namespace={ns},metadata.name=p")).Items);
    }

    [Fact]
    public async Task Requests_without_the_token_get_401_Status()
    {
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator });
        var response = await http.GetAsync(new Uri(cluster.Server.BaseAddress, "api/v1/namespaces"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Status", status.GetProperty("kind").GetString());
        Assert.Equal("Unauthorized", status.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(cluster.Server.BaseAddress, "healthz"))).StatusCode);
    }

    [Fact]
    public async Task Finalizers_hold_deletion_and_owner_references_are_collected()
    {
        var ns = await cluster.CreateNamespaceAsync("cs-gc");
        var client = cluster.Client;
        var owner = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "owner", Finalizers = ["test/hold"] } }, ns);
        V1ConfigMap Child(string name) => new()
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata.Uid }],
            },
        };
        await client.CoreV1.CreateNamespacedConfigMapAsync(Child("child"), ns);

        await client.CoreV1.DeleteNamespacedConfigMapAsync("owner", ns);
        var held = await client.CoreV1.ReadNamespacedConfigMapAsync("owner", ns);
        Assert.NotNull(held.Metadata.DeletionTimestamp);
        Assert.NotNull(await client.CoreV1.ReadNamespacedConfigMapAsync("child", ns));

        held.Metadata.Finalizers = [];
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(held, "owner", ns);
        await AssertGoneAsync(() => client.CoreV1.ReadNamespacedConfigMapAsync("owner", ns));
        await AssertGoneAsync(() => client.CoreV1.ReadNamespacedConfigMapAsync("child", ns));

        var orphanOwner = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "owner" } }, ns);
        owner = orphanOwner;
        await client.CoreV1.CreateNamespacedConfigMapAsync(Child("kept"), ns);
        await client.CoreV1.DeleteNamespacedConfigMapAsync("owner", ns, propagationPolicy: "Orphan");
        var kept = await client.CoreV1.ReadNamespacedConfigMapAsync("kept", ns);
        Assert.Null(kept.Metadata.OwnerReferences);

        await client.CoreV1.DeleteNamespaceAsync(ns);
        await AssertGoneAsync(() => client.CoreV1.ReadNamespaceAsync(ns));
        await AssertGoneAsync(() => client.CoreV1.ReadNamespacedConfigMapAsync("kept", ns));
    }

    [Fact]
    public async Task A_terminating_namespace_refuses_new_content_until_finalizers_let_its_objects_go()
    {
        var ns = await cluster.CreateNamespaceAsync("cs-terminating");
        var client = cluster.Client;
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "held", Finalizers = ["test/hold"] } }, ns);
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "free", Labels = new Dictionary<string, string> { ["x"] = "1" } } }, ns);
        await client.CoreV1.DeleteNamespaceAsync(ns);
        var terminating = await client.CoreV1.ReadNamespaceAsync(ns);
        Assert.Equal("Terminating", terminating.Status.Phase);
        await AssertGoneAsync(() => client.CoreV1.ReadNamespacedConfigMapAsync("free", ns));
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "late" } }, ns));
        Assert.Equal(HttpStatusCode.Forbidden, refused.Response.StatusCode);

        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""[{"op":"remove","path":"/metadata/finalizers"}]""", V1Patch.PatchType.JsonPatch), "held", ns);
        await AssertGoneAsync(() => client.CoreV1.ReadNamespacedConfigMapAsync("held", ns));
        await AssertGoneAsync(() => client.CoreV1.ReadNamespaceAsync(ns));
    }

    [Fact]
    public async Task Delete_collection_honours_the_label_selector_and_dry_run_stores_nothing()
    {
        var ns = await cluster.CreateNamespaceAsync("cs-collection");
        var client = cluster.Client;
        foreach (var (name, team) in new[] { ("a", "red"), ("b", "red"), ("c", "blue") })
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["team"] = team } } }, ns);
        }
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "dry" } }, ns, dryRun: "All");
        await client.CoreV1.DeleteCollectionNamespacedConfigMapAsync(ns, labelSelector: "team=red");
        var left = (await client.CoreV1.ListNamespacedConfigMapAsync(ns)).Items.Select(c => c.Metadata.Name);
        Assert.Equal(["c"], left);
    }

    private static async Task AssertGoneAsync<T>(Func<Task<T>> read)
    {
        var e = await Assert.ThrowsAsync<HttpOperationException>(read);
        Assert.Equal(HttpStatusCode.NotFound, e.Response.StatusCode);
    }
}

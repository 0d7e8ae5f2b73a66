using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Whetstone.LocalCluster.Tests.Security;

/// <summary>
/// RBAC enforced by the real server on ServiceAccount tokens issued through the TokenRequest API: a worker's Role lets
/// it read one Widget and patch that Widget's status, as the operator's per-job worker Role does for a job, and
/// nothing else; ClusterRoles, bindings, wildcards and resourceNames decide as in Kubernetes; refusals are 403 with
/// kube-apiserver's Status and wording; a token dies with its Pod or ServiceAccount (401).
/// </summary>
[Collection(LocalClusterCollection.Name)]
public sealed class RbacEnforcementIntegrationTest(LocalClusterFixture cluster)
{
    private const string G = LocalClusterFixture.Group;
    private const string V = LocalClusterFixture.Version;
    private const string P = LocalClusterFixture.Plural;

    private static JsonObject Widget(string name) => new()
    {
        ["apiVersion"] = $"{G}/{V}",
        ["kind"] = "Widget",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["size"] = 1 },
    };

    private static V1PolicyRule Rule(string group, string[] resources, string[] verbs, string[]? names = null) =>
        new() { ApiGroups = [group], Resources = resources, Verbs = verbs, ResourceNames = names };

    private async Task GrantAsync(string ns, string name, params V1PolicyRule[] rules)
    {
        await cluster.Client.RbacAuthorizationV1.CreateNamespacedRoleAsync(new V1Role { Metadata = new V1ObjectMeta { Name = name }, Rules = rules }, ns);
        await BindAsync(ns, name, "Role", name);
    }

    private Task BindAsync(string ns, string name, string roleKind, string roleName) =>
        cluster.Client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = name },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = roleKind, Name = roleName },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = ServiceAccountAccess.Account, NamespaceProperty = ns }],
        }, ns);

    private static V1Patch StatusPatch(string ready) =>
        new($$$"""{"status":{"conditions":[{"type":"Ready","status":"{{{ready}}}"}]}}""", V1Patch.PatchType.MergePatch);

    [Fact]
    public async Task A_worker_token_reads_its_widget_and_patches_its_status_and_is_refused_with_403_elsewhere()
    {
        var access = await ServiceAccountAccess.CreateAsync(cluster, "rbac-worker");
        var ns = access.Namespace;
        await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Widget("mine"), G, V, ns, P);
        await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Widget("other"), G, V, ns, P);
        await cluster.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "creds" }, StringData = new Dictionary<string, string> { ["key"] = "s3cr3t" } }, ns);
        await GrantAsync(ns, "worker",
            Rule(G, [P], ["get"], ["mine"]),
            Rule(G, [P + "/status"], ["get", "patch"], ["mine"]));
        using var worker = access.Client();

        await worker.CustomObjects.GetNamespacedCustomObjectAsync(G, V, ns, P, "mine");
        await worker.CustomObjects.PatchNamespacedCustomObjectStatusAsync(StatusPatch("True"), G, V, ns, P, "mine");

        var otherStatus = await ServiceAccountAccess.FailureOfAsync(() => worker.CustomObjects.PatchNamespacedCustomObjectStatusAsync(StatusPatch("True"), G, V, ns, P, "other"));
        Assert.Equal((HttpStatusCode.Forbidden, access.Refusal("patch", P + "/status", G, "other")), otherStatus);
        var ownSpec = await ServiceAccountAccess.FailureOfAsync(() => worker.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec":{"size":2}}""", V1Patch.PatchType.MergePatch), G, V, ns, P, "mine"));
        Assert.Equal((HttpStatusCode.Forbidden, access.Refusal("patch", P, G, "mine")), ownSpec);
        var pods = await ServiceAccountAccess.FailureOfAsync(() => worker.CoreV1.ListNamespacedPodAsync(ns));
        Assert.Equal((HttpStatusCode.Forbidden, access.Refusal("list", "pods", "")), pods);
        var secret = await ServiceAccountAccess.FailureOfAsync(() => worker.CoreV1.ReadNamespacedSecretAsync("creds", ns));
        Assert.Equal((HttpStatusCode.Forbidden, access.Refusal("get", "secrets", "", "creds")), secret);

        var (code, body) = await access.SendAsync(HttpMethod.Get, $"/apis/{G}/{V}/namespaces/{ns}/{P}?watch=true");
        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal("Forbidden", body?["reason"]?.GetValue<string>());
        Assert.Equal(access.Refusal("watch", P, G), body?["message"]?.GetValue<string>());
        Assert.Equal(P, body?["details"]?["kind"]?.GetValue<string>());
        Assert.Equal(G, body?["details"]?["group"]?.GetValue<string>());
    }

    [Fact]
    public async Task A_service_account_reads_discovery_health_and_version_but_no_other_path()
    {
        var access = await ServiceAccountAccess.CreateAsync(cluster, "rbac-paths");

        foreach (var path in new[] { "/api", "/apis", $"/apis/{G}/{V}", "/version", "/readyz", "/openapi/v3" })
        {
            Assert.Equal(HttpStatusCode.OK, (await access.SendAsync(HttpMethod.Get, path)).Code);
        }

        var (code, body) = await access.SendAsync(HttpMethod.Get, "/whetstone/v1/prometheus/pods");
        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal($"forbidden: User \"{access.UserName}\" cannot get path \"/whetstone/v1/prometheus/pods\"", body?["message"]?.GetValue<string>());
    }

    [Fact]
    public async Task A_ClusterRole_bound_by_a_RoleBinding_grants_in_that_namespace_only_and_by_a_ClusterRoleBinding_everywhere()
    {
        var access = await ServiceAccountAccess.CreateAsync(cluster, "rbac-cr");
        var ns = access.Namespace;
        var elsewhere = await cluster.CreateNamespaceAsync("rbac-cr-other");
        var role = "widget-viewer-" + ns;
        await cluster.Client.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole
        {
            Metadata = new V1ObjectMeta { Name = role },
            Rules = [Rule(G, [P], ["get", "list"])],
        });
        await BindAsync(ns, "viewer", "ClusterRole", role);
        using var worker = access.Client();

        await worker.CustomObjects.ListNamespacedCustomObjectAsync(G, V, ns, P);
        var other = await ServiceAccountAccess.FailureOfAsync(() => worker.CustomObjects.ListNamespacedCustomObjectAsync(G, V, elsewhere, P));
        Assert.Equal((HttpStatusCode.Forbidden, access.Refusal("list", P, G, inNamespace: elsewhere)), other);
        var all = await ServiceAccountAccess.FailureOfAsync(() => worker.CustomObjects.ListClusterCustomObjectAsync(G, V, P));
        Assert.Equal((HttpStatusCode.Forbidden, $"{P}.{G} is forbidden: User \"{access.UserName}\" cannot list resource \"{P}\" in API group \"{G}\" at the cluster scope"), all);

        await cluster.Client.RbacAuthorizationV1.CreateClusterRoleBindingAsync(new V1ClusterRoleBinding
        {
            Metadata = new V1ObjectMeta { Name = role },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = role },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = ServiceAccountAccess.Account, NamespaceProperty = ns }],
        });
        await worker.CustomObjects.ListNamespacedCustomObjectAsync(G, V, elsewhere, P);
        await worker.CustomObjects.ListClusterCustomObjectAsync(G, V, P);
        await cluster.Client.RbacAuthorizationV1.DeleteClusterRoleBindingAsync(role);
        await cluster.Client.RbacAuthorizationV1.DeleteClusterRoleAsync(role);
    }

    [Fact]
    public async Task Wildcards_grant_every_verb_and_resource_of_the_named_group_and_subresource_wildcards_only_that_subresource()
    {
        var access = await ServiceAccountAccess.CreateAsync(cluster, "rbac-wild");
        var ns = access.Namespace;
        await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Widget("any"), G, V, ns, P);
        await GrantAsync(ns, "core-everything", Rule("", ["*"], ["*"]));
        await GrantAsync(ns, "any-status", Rule(G, ["*/status"], ["patch"]));
        using var worker = access.Client();

        await worker.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "made" } }, ns);
        await worker.CoreV1.ListNamespacedSecretAsync(ns);
        await worker.CoreV1.DeleteNamespacedConfigMapAsync("made", ns);
        await worker.CustomObjects.PatchNamespacedCustomObjectStatusAsync(StatusPatch("False"), G, V, ns, P, "any");

        var deployments = await ServiceAccountAccess.FailureOfAsync(() => worker.AppsV1.ListNamespacedDeploymentAsync(ns));
        Assert.Equal((HttpStatusCode.Forbidden, access.Refusal("list", "deployments", "apps")), deployments);
        var widget = await ServiceAccountAccess.FailureOfAsync(() => worker.CustomObjects.GetNamespacedCustomObjectAsync(G, V, ns, P, "any"));
        Assert.Equal((HttpStatusCode.Forbidden, access.Refusal("get", P, G, "any")), widget);
    }

    [Fact]
    public async Task ResourceNames_limit_a_rule_to_the_named_objects_and_a_list_to_a_single_name_field_selector()
    {
        var access = await ServiceAccountAccess.CreateAsync(cluster, "rbac-names");
        var ns = access.Namespace;
        foreach (var name in new[] { "allowed", "hidden" })
        {
            await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name } }, ns);
        }

        await GrantAsync(ns, "one-config", Rule("", ["configmaps"], ["get", "list"], ["allowed"]));
        using var worker = access.Client();

        Assert.Equal("allowed", (await worker.CoreV1.ReadNamespacedConfigMapAsync("allowed", ns)).Metadata.Name);
        var hidden = await ServiceAccountAccess.FailureOfAsync(() => worker.CoreV1.ReadNamespacedConfigMapAsync("hidden", ns));
        Assert.Equal((HttpStatusCode.Forbidden, access.Refusal("get", "configmaps", "", "hidden")), hidden);
        var list = await ServiceAccountAccess.FailureOfAsync(() => worker.CoreV1.ListNamespacedConfigMapAsync(ns));
        Assert.Equal((HttpStatusCode.Forbidden, access.Refusal("list", "configmaps", "")), list);
        var selected = await worker.CoreV1.ListNamespacedConfigMapAsync(ns, fieldSelector: "metadata.name=allowed");
        Assert.Equal(["allowed"], selected.Items.Select(c => c.Metadata.Name));
    }

    [Fact]
    public async Task A_token_is_refused_with_401_once_its_pod_or_service_account_is_deleted_or_when_it_was_not_issued_here()
    {
        var access = await ServiceAccountAccess.CreateAsync(cluster, "rbac-revoke");
        var ns = access.Namespace;
        var path = $"/apis/authentication.k8s.io/v1/selfsubjectreviews";
        const string review = """{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}""";
        var (before, whoami) = await access.SendAsync(HttpMethod.Post, path, review, "application/json");
        Assert.Equal(HttpStatusCode.Created, before);
        Assert.Equal(access.UserName, whoami?["status"]?["userInfo"]?["username"]?.GetValue<string>());
        Assert.Equal(["system:serviceaccounts", $"system:serviceaccounts:{ns}", "system:authenticated"],
            whoami?["status"]?["userInfo"]?["groups"]?.AsArray().Select(g => g!.GetValue<string>()));

        var unbound = await ServiceAccountAccess.IssueAsync(cluster.Client, ns, ServiceAccountAccess.Account, pod: null);
        await cluster.Client.CoreV1.DeleteNamespacedPodAsync(ServiceAccountAccess.PodName, ns);
        var (afterPod, status) = await access.SendAsync(HttpMethod.Post, path, review, "application/json");
        Assert.Equal(HttpStatusCode.Unauthorized, afterPod);
        Assert.Equal("Unauthorized", status?["reason"]?.GetValue<string>());
        Assert.Equal(HttpStatusCode.Created, (await access.SendAsync(HttpMethod.Post, path, review, "application/json", bearer: unbound)).Code);

        await cluster.Client.CoreV1.DeleteNamespacedServiceAccountAsync(ServiceAccountAccess.Account, ns);
        await cluster.Client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = ServiceAccountAccess.Account } }, ns);
        Assert.Equal(HttpStatusCode.Unauthorized, (await access.SendAsync(HttpMethod.Post, path, review, "application/json", bearer: unbound)).Code);

        // One valid token's header and claims with another valid token's signature: signed by this server, but not over these claims.
        var first = (await ServiceAccountAccess.IssueAsync(cluster.Client, ns, ServiceAccountAccess.Account, pod: null)).Split('.');
        var second = (await ServiceAccountAccess.IssueAsync(cluster.Client, ns, ServiceAccountAccess.Account, pod: null)).Split('.');
        var forged = $"{first[0]}.{first[1]}.{second[2]}";
        Assert.Equal(HttpStatusCode.OK, (await access.SendAsync(HttpMethod.Get, "/api", bearer: string.Join('.', first))).Code);
        Assert.Equal(HttpStatusCode.Unauthorized, (await access.SendAsync(HttpMethod.Get, "/api", bearer: forged)).Code);
        Assert.Equal(HttpStatusCode.Unauthorized, (await access.SendAsync(HttpMethod.Get, "/api", bearer: "not-a-token")).Code);
        Assert.Equal(HttpStatusCode.Unauthorized, (await access.SendAsync(HttpMethod.Get, "/api", bearer: "")).Code);
        Assert.Equal(HttpStatusCode.OK, (await access.SendAsync(HttpMethod.Get, "/healthz", bearer: "")).Code);
    }

    [Fact]
    public async Task A_token_request_needs_an_existing_account_a_pod_running_as_it_and_at_least_ten_minutes()
    {
        var access = await ServiceAccountAccess.CreateAsync(cluster, "rbac-request");
        var ns = access.Namespace;
        var pod = await cluster.Client.CoreV1.ReadNamespacedPodAsync(ServiceAccountAccess.PodName, ns);

        var missing = await ServiceAccountAccess.FailureOfAsync(() => ServiceAccountAccess.IssueAsync(cluster.Client, ns, "nobody", pod: null));
        Assert.Equal((HttpStatusCode.NotFound, "serviceaccounts \"nobody\" not found"), missing);
        var wrongAccount = await ServiceAccountAccess.FailureOfAsync(() => ServiceAccountAccess.IssueAsync(cluster.Client, ns, "default", pod));
        Assert.Equal((HttpStatusCode.BadRequest, "cannot bind token for serviceaccount \"default\" to pod running with different serviceaccount name."), wrongAccount);
        var (code, body) = await access.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/serviceaccounts/{ServiceAccountAccess.Account}/token",
            """{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"expirationSeconds":60}}""", "application/json",
            bearer: await File.ReadAllTextAsync(Path.Combine(cluster.Server.DataDirectory, "token")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Contains("may not specify a duration less than 10 minutes", body?["message"]?.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_admin_may_do_everything_and_every_namespace_has_a_default_service_account()
    {
        var ns = await cluster.CreateNamespaceAsync("rbac-admin");

        var roles = await cluster.Client.RbacAuthorizationV1.ListClusterRoleAsync();
        Assert.Contains(roles.Items, r => r.Metadata.Name == "cluster-admin");
        var bindings = await cluster.Client.RbacAuthorizationV1.ListClusterRoleBindingAsync();
        Assert.Contains(bindings.Items, b => b.Metadata.Name == "cluster-admin" && b.Subjects.Single().Name == "system:masters");
        await cluster.Client.CoreV1.ListSecretForAllNamespacesAsync();
        await cluster.Client.CoreV1.ReadNamespacedServiceAccountAsync("default", ns);
        var can = await cluster.KubectlAsync("auth", "can-i", "*", "*", "--all-namespaces");
        Assert.Equal((0, "yes"), (can.ExitCode, can.Stdout.Trim()));
        var whoami = await cluster.KubectlAsync("auth", "whoami", "-o", "jsonpath={.status.userInfo.username}");
        Assert.Equal((0, "whetstone-admin"), (whoami.ExitCode, whoami.Stdout.Trim()));
    }
}

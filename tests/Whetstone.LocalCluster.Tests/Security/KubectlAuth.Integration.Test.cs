using k8s;
using k8s.Models;

namespace Whetstone.LocalCluster.Tests.Security;

/// <summary>
/// The real kubectl with a ServiceAccount's token: <c>kubectl auth can-i</c> (SelfSubjectAccessReview, sent as
/// protobuf) agrees with what the server then does, <c>kubectl auth whoami</c> names the account, and
/// <c>kubectl create token</c> (TokenRequest, protobuf) issues a token that authenticates as it.
/// </summary>
[Collection(LocalClusterCollection.Name)]
public sealed class KubectlAuthIntegrationTest(LocalClusterFixture cluster)
{
    private const string G = LocalClusterFixture.Group;

    [Fact]
    public async Task Kubectl_auth_can_i_with_a_service_account_token_agrees_with_the_server()
    {
        var access = await ServiceAccountAccess.CreateAsync(cluster, "rbac-kubectl");
        var ns = access.Namespace;
        foreach (var name in new[] { "mine", "other" })
        {
            var applied = await cluster.KubectlWithInputAsync($$"""
                apiVersion: {{G}}/v1
                kind: Widget
                metadata: {name: {{name}}, namespace: {{ns}}}
                spec: {size: 1}
                """, "apply", "-f", "-");
            Assert.True(applied.ExitCode == 0, applied.ToString());
        }

        await cluster.Client.RbacAuthorizationV1.CreateNamespacedRoleAsync(new V1Role
        {
            Metadata = new V1ObjectMeta { Name = "worker" },
            Rules =
            [
                new V1PolicyRule { ApiGroups = [G], Resources = ["widgets"], Verbs = ["get"], ResourceNames = ["mine"] },
                new V1PolicyRule { ApiGroups = [G], Resources = ["widgets/status"], Verbs = ["get", "patch"], ResourceNames = ["mine"] },
            ],
        }, ns);
        await cluster.Client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "worker" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "worker" },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = ServiceAccountAccess.Account, NamespaceProperty = ns }],
        }, ns);

        async Task<string> CanIAsync(params string[] args)
        {
            var result = await cluster.KubectlAsync(["--token", access.Token, "auth", "can-i", "-n", ns, .. args]);
            Assert.True(result.ExitCode is 0 or 1, result.ToString());
            return result.Stdout.Trim();
        }

        Assert.Equal("yes", await CanIAsync("get", "widgets/mine"));
        Assert.Equal("yes", await CanIAsync("patch", "widgets/mine", "--subresource=status"));
        Assert.Equal("no", await CanIAsync("patch", "widgets/other", "--subresource=status"));
        Assert.Equal("no", await CanIAsync("list", "pods"));
        Assert.Equal("no", await CanIAsync("get", "secrets"));

        var allowed = await cluster.KubectlAsync("--token", access.Token, "-n", ns, "patch", "widgets", "mine", "--subresource=status", "--type=merge",
            "-p", """{"status":{"conditions":[{"type":"Ready","status":"True"}]}}""");
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        var refused = await cluster.KubectlAsync("--token", access.Token, "-n", ns, "patch", "widgets", "other", "--subresource=status", "--type=merge",
            "-p", """{"status":{"conditions":[{"type":"Ready","status":"True"}]}}""");
        Assert.Equal(1, refused.ExitCode);
        // kubectl patch reads the object before patching it: the read is what the server refuses first.
        Assert.True(refused.Stderr.Contains($"Error from server (Forbidden): {access.Refusal("get", "widgets/status", G, "other")}", StringComparison.Ordinal), refused.Stderr);
        var pods = await cluster.KubectlAsync("--token", access.Token, "-n", ns, "get", "pods");
        Assert.Contains($"Error from server (Forbidden): {access.Refusal("list", "pods", "")}", pods.Stderr, StringComparison.Ordinal);

        var list = await cluster.KubectlAsync("--token", access.Token, "auth", "can-i", "--list", "-n", ns);
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("widgets.test.whetstone.dev/status", list.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kubectl_create_token_issues_a_token_that_kubectl_auth_whoami_names_as_the_account()
    {
        var ns = await cluster.CreateNamespaceAsync("rbac-create-token");
        var created = await cluster.KubectlAsync("-n", ns, "create", "serviceaccount", "reader");
        Assert.True(created.ExitCode == 0, created.ToString());

        var token = await cluster.KubectlAsync("-n", ns, "create", "token", "reader", "--duration=20m");
        Assert.True(token.ExitCode == 0, token.ToString());
        var whoami = await cluster.KubectlAsync("--token", token.Stdout.Trim(), "auth", "whoami", "-o", "jsonpath={.status.userInfo.username}");

        Assert.Equal((0, $"system:serviceaccount:{ns}:reader"), (whoami.ExitCode, whoami.Stdout.Trim()));
        var expiry = await cluster.KubectlAsync("-n", ns, "create", "token", "reader", "--duration=5m");
        Assert.Contains("may not specify a duration less than 10 minutes", expiry.Stderr, StringComparison.Ordinal);
    }
}

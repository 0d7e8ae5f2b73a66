using System.Text.Json.Nodes;

namespace Whetstone.Chart.Tests.Rendering;

public sealed class ChartRbacTest
{
    private static readonly string[] Kinds = ["finetunejobs", "compressionjobs", "evaluationruns", "modelrollouts"];

    [Fact]
    public async Task The_operator_may_get_the_artifact_store_Secret_by_name_and_list_no_Secrets()
    {
        var rules = Rules((await ChartRenderer.RenderAsync()).Single("ClusterRole", "whetstone-operator"));

        var secrets = Assert.Single(rules, r => r.Resources.Contains("secrets"));
        Assert.Equal(["get"], secrets.Verbs);
        Assert.Equal(["whetstone-artifacts"], secrets.ResourceNames);
    }

    [Fact]
    public async Task The_operator_patches_its_kinds_never_updates_them_and_may_update_their_finalizers()
    {
        var rules = Rules((await ChartRenderer.RenderAsync()).Single("ClusterRole", "whetstone-operator"));

        var kinds = Assert.Single(rules, r => r.Resources.Contains("finetunejobs"));
        Assert.Equal(Kinds.Order(), kinds.Resources.Order());
        Assert.Equal(["delete", "get", "list", "patch", "watch"], kinds.Verbs.Order());
        var finalizers = Assert.Single(rules, r => r.Resources.Contains("finetunejobs/finalizers"));
        Assert.Equal(Kinds.Select(k => k + "/finalizers").Order(), finalizers.Resources.Order());
        Assert.Equal(["update"], finalizers.Verbs);
        Assert.DoesNotContain(rules, r => r.Resources.Contains("leases"));
    }

    [Fact]
    public async Task The_Lease_is_a_Role_in_the_release_namespace_limited_to_its_name()
    {
        var chart = await ChartRenderer.RenderAsync();

        var role = chart.Single("Role", "whetstone-operator-leader-election");
        Assert.Equal(ChartRenderer.ReleaseNamespace, role.Namespace);
        var rules = Rules(role);
        Assert.Equal(["create"], Assert.Single(rules, r => r.ResourceNames.Count == 0).Verbs);
        var named = Assert.Single(rules, r => r.ResourceNames.Count > 0);
        Assert.Equal(["whetstone-operator"], named.ResourceNames);
        Assert.Equal(["get", "update"], named.Verbs.Order());
    }

    [Fact]
    public async Task With_per_job_accounts_no_shared_worker_account_or_role_is_rendered()
    {
        var chart = await ChartRenderer.RenderAsync();

        Assert.DoesNotContain(chart.Objects, o => o.Name == "whetstone-worker");
        Assert.Contains(Rules(chart.Single("ClusterRole", "whetstone-operator")), r => r.Resources.Contains("serviceaccounts") && r.Verbs.SequenceEqual(["create", "get"]));
    }

    [Fact]
    public async Task A_shared_worker_account_exists_in_every_job_namespace_and_the_operator_creates_no_accounts()
    {
        var chart = await ChartRenderer.RenderAsync(ChartValues.SharedWorkerAccount);

        Assert.Equal(["team-a", "team-b"], chart.OfKind("ServiceAccount").Where(a => a.Name == "whetstone-worker").Select(a => a.Namespace!).Order());
        Assert.Equal(["team-a", "team-b"], chart.OfKind("RoleBinding").Where(b => b.Name == "whetstone-worker").Select(b => b.Namespace!).Order());
        var worker = Rules(chart.Single("ClusterRole", "whetstone-worker"));
        Assert.Equal(["get"], Assert.Single(worker, r => r.Resources.Contains("finetunejobs")).Verbs);
        Assert.Equal(["get", "patch"], Assert.Single(worker, r => r.Resources.Contains("finetunejobs/status")).Verbs.Order());
        Assert.DoesNotContain(Rules(chart.Single("ClusterRole", "whetstone-operator")), r => r.Resources.Contains("serviceaccounts"));
    }

    [Fact]
    public async Task The_shared_worker_role_whetstone_up_installs_has_the_charts_rules()
    {
        var chart = await ChartRenderer.RenderAsync(ChartValues.SharedWorkerAccount);

        var rendered = chart.Single("ClusterRole", "whetstone-worker").Json["rules"]!.AsArray()
            .Select(r => $"{string.Join(',', Strings(r!["apiGroups"]))}: {string.Join(',', Strings(r["resources"]))}: {string.Join(',', Strings(r["verbs"]))}");
        var embedded = Whetstone.Operator.Workers.SharedWorkerAccess.ClusterRole("whetstone-worker").Rules
            .Select(r => $"{string.Join(',', r.ApiGroups)}: {string.Join(',', r.Resources)}: {string.Join(',', r.Verbs)}");
        Assert.Equal(rendered, embedded);
    }

    [Fact]
    public async Task Watching_one_namespace_renders_only_namespaced_roles_there()
    {
        var chart = await ChartRenderer.RenderAsync(ChartValues.Namespaced + "\nrbac: {aggregateToDefaultRoles: false}\n");

        Assert.Empty(chart.OfKind("ClusterRole"));
        Assert.Empty(chart.OfKind("ClusterRoleBinding"));
        Assert.Equal("team-a", chart.Single("Role", "whetstone-operator").Namespace);
        Assert.Equal("team-a", chart.Single("Role", "whetstone-worker").Namespace);
        Assert.Equal("team-a", Assert.Single(chart.OfKind("ServiceAccount"), a => a.Name == "whetstone-worker").Namespace);
        var binding = chart.Single("RoleBinding", "whetstone-operator");
        Assert.Equal(ChartRenderer.ReleaseNamespace, (string?)binding.Json["subjects"]![0]!["namespace"]);
    }

    [Fact]
    public async Task The_four_kinds_are_aggregated_into_admin_edit_and_view_and_view_cannot_write()
    {
        var chart = await ChartRenderer.RenderAsync();

        foreach (var role in new[] { "admin", "edit", "view" })
        {
            var clusterRole = chart.Single("ClusterRole", $"whetstone-{role}");
            Assert.Equal("true", (string?)clusterRole.Json["metadata"]!["labels"]![$"rbac.authorization.k8s.io/aggregate-to-{role}"]);
            Assert.Equal(Kinds.Order(), Rules(clusterRole).First().Resources.Order());
        }

        Assert.Equal(["get", "list", "watch"], Rules(chart.Single("ClusterRole", "whetstone-view")).SelectMany(r => r.Verbs).Distinct().Order());
    }

    private sealed record Rule(IReadOnlyList<string> Resources, IReadOnlyList<string> Verbs, IReadOnlyList<string> ResourceNames);

    private static List<Rule> Rules(RenderedObject role) => role.Json["rules"]!.AsArray().Select(r => new Rule(
        Strings(r!["resources"]), Strings(r["verbs"]), Strings(r["resourceNames"]))).ToList();

    private static List<string> Strings(JsonNode? node) => node?.AsArray().Select(n => (string)n!).ToList() ?? [];
}

using k8s;
using Whetstone.Chart.Tests.Rendering;

namespace Whetstone.Chart.Tests.Cluster;

/// <summary>
/// Every rendered object goes to the embedded API server with <c>kubectl apply --dry-run=server</c> when it serves the
/// kind. It does not serve apps/v1, policy/v1, ClusterRoles and the Prometheus Operator's kinds; those are checked by
/// structure instead. Every built-in kind, served or not, is also deserialized strictly into the Kubernetes client's
/// typed models (the embedded server accepts unknown fields; an unknown or misplaced field fails here), and the
/// cross-references between objects (selectors, ports, roles, subjects) must resolve.
/// </summary>
public sealed class ChartDryRunIntegrationTest(ChartClusterFixture cluster) : IClassFixture<ChartClusterFixture>
{
    private static readonly HashSet<(string, string)> TypedButNotServed =
    [
        ("apps/v1", "Deployment"),
        ("policy/v1", "PodDisruptionBudget"),
        ("rbac.authorization.k8s.io/v1", "ClusterRole"),
        ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
    ];

    private static readonly HashSet<(string, string)> PrometheusOperatorKinds =
    [
        ("monitoring.coreos.com/v1", "ServiceMonitor"),
        ("monitoring.coreos.com/v1", "PodMonitor"),
        ("monitoring.coreos.com/v1", "PrometheusRule"),
    ];

    public static TheoryData<string, string?> Cases => ChartValues.Cases;

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_rendered_object_is_accepted_by_the_API_server_or_valid_by_structure(string name, string? values)
    {
        var chart = await ChartRenderer.RenderAsync(values);

        var served = chart.Objects.Where(o => cluster.Served.Contains((o.ApiVersion, o.Kind))).ToList();
        var notServed = chart.Objects.Except(served).ToList();
        Assert.All(notServed, o => Assert.True(
            TypedButNotServed.Contains((o.ApiVersion, o.Kind)) || PrometheusOperatorKinds.Contains((o.ApiVersion, o.Kind)),
            $"{name}: {o} is neither served by the embedded API server nor checked by structure"));

        var stream = string.Join("---\n", served.Select(o => o.Yaml));
        var output = await cluster.Kubectl.RunOkAsync("apply --dry-run=server -f -", stream, TimeSpan.FromSeconds(60));
        Assert.Equal(served.Count, output.Split('\n').Count(l => l.Contains("(server dry run)", StringComparison.Ordinal)));

        foreach (var o in chart.Objects.Where(o => !PrometheusOperatorKinds.Contains((o.ApiVersion, o.Kind))))
        {
            var typed = Assert.Single(KubernetesYaml.LoadAllFromString(o.Yaml, typeMap: null, strict: true));
            Assert.Equal(o.Kind, ((IKubernetesObject)typed).Kind);
        }

        ChartStructure.AssertReferencesResolve(chart);
    }
}

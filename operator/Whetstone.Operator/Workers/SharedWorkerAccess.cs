using k8s.Models;
using Whetstone.Api;

namespace Whetstone.Operator.Workers;

/// <summary>
/// The shared worker account used when jobs do not get their own (<c>PerJobServiceAccounts</c> false), as the Helm
/// chart creates it (<c>templates/rbac-worker.yaml</c>): a ClusterRole that allows reading the jobs of the kinds with
/// workers and getting and patching their status, and, in each namespace where jobs run, the ServiceAccount and a
/// RoleBinding of that ClusterRole to it. <c>whetstone up</c> installs the same objects in the embedded cluster.
/// </summary>
public static class SharedWorkerAccess
{
    /// <summary>The kinds whose jobs run workers.</summary>
    public static IReadOnlyList<string> WorkerPlurals { get; } = [Plurals.FineTuneJobs, Plurals.CompressionJobs, Plurals.EvaluationRuns];

    /// <summary>The cluster-wide rules, named like the account.</summary>
    public static V1ClusterRole ClusterRole(string name) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "ClusterRole",
        Metadata = new V1ObjectMeta { Name = name, Labels = Labels() },
        Rules =
        [
            new V1PolicyRule { ApiGroups = [WhetstoneApi.Group], Resources = [.. WorkerPlurals], Verbs = ["get"] },
            new V1PolicyRule { ApiGroups = [WhetstoneApi.Group], Resources = [.. WorkerPlurals.Select(p => p + "/status")], Verbs = ["get", "patch"] },
        ],
    };

    /// <summary>The account in one job namespace.</summary>
    public static V1ServiceAccount ServiceAccount(string ns, string name) => new()
    {
        ApiVersion = "v1",
        Kind = "ServiceAccount",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = Labels() },
    };

    /// <summary>The binding of <see cref="ClusterRole"/> to the account, in one job namespace.</summary>
    public static V1RoleBinding RoleBinding(string ns, string name) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "RoleBinding",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = Labels() },
        RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = name },
        Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = name, NamespaceProperty = ns }],
    };

    private static Dictionary<string, string> Labels() => new(StringComparer.Ordinal)
    {
        [WhetstoneLabels.Name] = WhetstoneLabels.ApplicationName,
        [WhetstoneLabels.ManagedBy] = WhetstoneLabels.ManagerName,
        [WhetstoneLabels.PartOf] = WhetstoneLabels.ApplicationName,
    };
}

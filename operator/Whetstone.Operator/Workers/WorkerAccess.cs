using k8s;
using k8s.Models;
using Whetstone.Api;

namespace Whetstone.Operator.Workers;

/// <summary>
/// Least privilege for one job's workers: a ServiceAccount <c>&lt;job&gt;-worker</c>, a Role that allows reading that
/// one job and patching that one job's status (plus reading the jobs its spec refers to, such as a
/// <c>fineTuneJobRef</c> base model), and the RoleBinding between them. All three are owned by the job, so garbage
/// collection removes them with it. A pure function of the job, unit-tested by comparing objects.
/// </summary>
public static class WorkerAccess
{
    /// <summary>The longest name Kubernetes accepts for a ServiceAccount, Role or RoleBinding (a DNS subdomain).</summary>
    private const int MaxNameLength = 253;

    private const string Suffix = "-worker";

    /// <summary>The name shared by a job's ServiceAccount, Role and RoleBinding: <c>&lt;job&gt;-worker</c>.</summary>
    public static string Name(string jobName) =>
        (jobName.Length + Suffix.Length > MaxNameLength ? jobName[..(MaxNameLength - Suffix.Length)].TrimEnd('-', '.') : jobName) + Suffix;

    /// <summary>Builds the three objects for a job of the given plural (e.g. <c>finetunejobs</c>).</summary>
    /// <param name="job">The job the workers run for.</param>
    /// <param name="plural">The job's resource plural.</param>
    /// <param name="readableFineTuneJobs">Other FineTuneJobs (same namespace) the worker must read, e.g. a fineTuneJobRef.</param>
    public static WorkerAccessObjects Build(IKubernetesObject<V1ObjectMeta> job, string plural, IReadOnlyCollection<string> readableFineTuneJobs)
    {
        ArgumentNullException.ThrowIfNull(job);
        var meta = job.Metadata;
        var name = Name(meta.Name);
        V1ObjectMeta Meta() => new()
        {
            Name = name,
            NamespaceProperty = meta.NamespaceProperty,
            Labels = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [WhetstoneLabels.Job] = meta.Name,
                [WhetstoneLabels.Kind] = job.Kind,
                [WhetstoneLabels.Name] = WhetstoneLabels.ApplicationName,
                [WhetstoneLabels.ManagedBy] = WhetstoneLabels.ManagerName,
                [WhetstoneLabels.PartOf] = WhetstoneLabels.ApplicationName,
            },
            OwnerReferences =
            [
                new V1OwnerReference { ApiVersion = job.ApiVersion, Kind = job.Kind, Name = meta.Name, Uid = meta.Uid, Controller = true, BlockOwnerDeletion = true },
            ],
        };

        var rules = new List<V1PolicyRule>
        {
            new() { ApiGroups = [WhetstoneApi.Group], Resources = [plural], Verbs = ["get"], ResourceNames = [meta.Name] },
            new() { ApiGroups = [WhetstoneApi.Group], Resources = [plural + "/status"], Verbs = ["get", "patch"], ResourceNames = [meta.Name] },
        };
        var others = readableFineTuneJobs.Where(n => !(plural == Plurals.FineTuneJobs && n == meta.Name)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (others.Count > 0)
        {
            rules.Add(new V1PolicyRule { ApiGroups = [WhetstoneApi.Group], Resources = [Plurals.FineTuneJobs], Verbs = ["get"], ResourceNames = others });
        }

        return new WorkerAccessObjects(
            new V1ServiceAccount { ApiVersion = "v1", Kind = "ServiceAccount", Metadata = Meta(), AutomountServiceAccountToken = true },
            new V1Role { ApiVersion = "rbac.authorization.k8s.io/v1", Kind = "Role", Metadata = Meta(), Rules = rules },
            new V1RoleBinding
            {
                ApiVersion = "rbac.authorization.k8s.io/v1",
                Kind = "RoleBinding",
                Metadata = Meta(),
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = name },
                Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = name, NamespaceProperty = meta.NamespaceProperty }],
            });
    }
}

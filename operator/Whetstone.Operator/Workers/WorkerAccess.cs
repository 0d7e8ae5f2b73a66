using k8s;
using k8s.Models;
using Whetstone.Api;

namespace Whetstone.Operator.Workers;

/// <summary>
/// Least privilege for one job's workers: a ServiceAccount <c>&lt;job&gt;-&lt;kind&gt;-worker</c>, a Role that allows
/// reading that one job and patching that one job's status (plus reading the jobs its spec refers to, given as
/// <see cref="JobReference"/> data), and the RoleBinding between them. All three are owned by the job, so garbage
/// collection removes them with it. A pure function of the job, unit-tested by comparing objects.
/// </summary>
public static class WorkerAccess
{
    /// <summary>The longest name Kubernetes accepts for a ServiceAccount, Role or RoleBinding (a DNS subdomain).</summary>
    private const int MaxNameLength = 253;

    private const string Suffix = "-worker";

    /// <summary>
    /// The name shared by a job's ServiceAccount, Role and RoleBinding: <c>&lt;job&gt;-&lt;kind&gt;-worker</c> (kind in
    /// lower case), so two kinds' jobs of the same name in one namespace never share an account.
    /// </summary>
    public static string Name(string kind, string jobName)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(jobName);
        var suffix = $"-{kind.ToLowerInvariant()}{Suffix}";
        return (jobName.Length + suffix.Length > MaxNameLength ? jobName[..(MaxNameLength - suffix.Length)].TrimEnd('-', '.') : jobName) + suffix;
    }

    /// <summary>Builds the three objects for a job of the given plural (e.g. <c>finetunejobs</c>).</summary>
    /// <param name="job">The job the workers run for.</param>
    /// <param name="plural">The job's resource plural.</param>
    /// <param name="readable">Other jobs (same namespace) the worker must read, e.g. a fineTuneJobRef's.</param>
    public static WorkerAccessObjects Build(IKubernetesObject<V1ObjectMeta> job, string plural, IReadOnlyCollection<JobReference> readable)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(readable);
        var meta = job.Metadata;
        var name = Name(job.Kind, meta.Name);
        V1ObjectMeta Meta() => new()
        {
            Name = name,
            NamespaceProperty = meta.NamespaceProperty,
            Labels = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [WhetstoneLabels.Job] = WhetstoneLabels.ValueFor(meta.Name),
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
        foreach (var group in readable
                     .Where(r => !(r.Group == WhetstoneApi.Group && r.Plural == plural && r.Name == meta.Name))
                     .GroupBy(r => (r.Group, r.Plural))
                     .OrderBy(g => g.Key.Group, StringComparer.Ordinal).ThenBy(g => g.Key.Plural, StringComparer.Ordinal))
        {
            var names = group.Select(r => r.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            rules.Add(new V1PolicyRule { ApiGroups = [group.Key.Group], Resources = [group.Key.Plural], Verbs = ["get"], ResourceNames = names });
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

using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Whetstone.Operator.Workers;

/// <summary>
/// Creates a job's <see cref="WorkerAccessObjects"/> just before its worker pod, so the pod never waits for a
/// missing ServiceAccount. Each create that finds the object already there (an earlier attempt, a lost status
/// write) is fine when that object is the job's own (a controller owner reference to the job's uid): the objects never
/// change for a job, so nothing is updated, and a settled job makes no writes. An object of that name that is not the
/// job's is never adopted: a pod running as someone else's account could act with rights the operator never granted.
/// </summary>
public sealed class WorkerAccessProvisioner(IKubernetes client)
{
    /// <summary>Creates whichever of the three objects does not exist yet, and checks that those that do are the job's.</summary>
    public async Task<WorkerAccessOutcome> EnsureAsync(WorkerAccessObjects access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        var ns = access.ServiceAccount.Metadata.NamespaceProperty;
        var name = access.ServiceAccount.Metadata.Name;
        var owner = access.ServiceAccount.Metadata.OwnerReferences.Single();
        var steps = new (string Kind, Func<Task> Create, Func<Task<V1ObjectMeta>> Read)[]
        {
            ("ServiceAccount",
                () => client.CoreV1.CreateNamespacedServiceAccountAsync(access.ServiceAccount, ns, cancellationToken: cancellationToken),
                async () => (await client.CoreV1.ReadNamespacedServiceAccountAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false)).Metadata),
            ("Role",
                () => client.RbacAuthorizationV1.CreateNamespacedRoleAsync(access.Role, ns, cancellationToken: cancellationToken),
                async () => (await client.RbacAuthorizationV1.ReadNamespacedRoleAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false)).Metadata),
            ("RoleBinding",
                () => client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(access.RoleBinding, ns, cancellationToken: cancellationToken),
                async () => (await client.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false)).Metadata),
        };
        foreach (var (kind, create, read) in steps)
        {
            var existing = await CreateAsync(create, read).ConfigureAwait(false);
            if (Judge(kind, existing, owner, ns, name) is { } refusal)
            {
                return refusal;
            }
        }

        return WorkerAccessOutcome.Ready;
    }

    /// <summary>Null when the object was created now or is the job's own; otherwise the refusal.</summary>
    private static WorkerAccessOutcome? Judge(string kind, V1ObjectMeta? existing, V1OwnerReference owner, string ns, string name) =>
        existing is null || existing.OwnerReferences?.Any(r => r.Uid == owner.Uid && r.Controller == true) == true
            ? null
            : new WorkerAccessOutcome(true,
                $"{kind} {ns}/{name} already exists and was not created by the operator for {owner.Kind} {owner.Name}; it is not adopted: delete or rename it, then recreate the job");

    /// <summary>Creates the object; when it exists already, returns the existing object's metadata (null when created now).</summary>
    private static async Task<V1ObjectMeta?> CreateAsync(Func<Task> create, Func<Task<V1ObjectMeta>> read)
    {
        try
        {
            await create().ConfigureAwait(false);
            return null;
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.Conflict)
        {
            return await read().ConfigureAwait(false);
        }
    }
}

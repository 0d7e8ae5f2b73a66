using System.Net;
using k8s;
using k8s.Autorest;

namespace Whetstone.Operator.Workers;

/// <summary>
/// Creates a job's <see cref="WorkerAccessObjects"/> just before its worker pod, so the pod never waits for a
/// missing ServiceAccount. Each create that finds the object already there (an earlier attempt, a lost status
/// write) is fine: the objects never change for a job, so nothing is updated, and a settled job makes no writes.
/// </summary>
public sealed class WorkerAccessProvisioner(IKubernetes client)
{
    /// <summary>Creates whichever of the three objects does not exist yet.</summary>
    public async Task EnsureAsync(WorkerAccessObjects access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        var ns = access.ServiceAccount.Metadata.NamespaceProperty;
        await CreateAsync(() => client.CoreV1.CreateNamespacedServiceAccountAsync(access.ServiceAccount, ns, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await CreateAsync(() => client.RbacAuthorizationV1.CreateNamespacedRoleAsync(access.Role, ns, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await CreateAsync(() => client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(access.RoleBinding, ns, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    private static async Task CreateAsync<T>(Func<Task<T>> create)
    {
        try
        {
            await create().ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.Conflict)
        {
            // Already there from an earlier attempt.
        }
    }
}

using k8s;
using k8s.Models;

namespace Whetstone.Operator.Runtime.Clients;

/// <summary>The writes the runtime and controllers make to one custom resource type.</summary>
public interface IEntityClient<T>
    where T : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>Reads the object fresh from the API; null when it is gone.</summary>
    Task<T?> GetAsync(string @namespace, string name, CancellationToken cancellationToken);

    /// <summary>Sets <c>metadata.finalizers</c>, guarded by the object's resourceVersion (409 when stale).</summary>
    Task<T> ReplaceFinalizersAsync(T entity, IList<string> finalizers, CancellationToken cancellationToken);

    /// <summary>Writes the whole status through the status subresource, guarded by resourceVersion.</summary>
    Task<T> ReplaceStatusAsync(T entity, CancellationToken cancellationToken);

    /// <summary>Deletes the object (background propagation); absent is fine.</summary>
    Task DeleteAsync(T entity, CancellationToken cancellationToken);
}

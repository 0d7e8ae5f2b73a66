using k8s;
using k8s.Models;

namespace Whetstone.Operator.Runtime.Controllers;

/// <summary>
/// Cleanup that must run before an entity disappears. The runtime adds <see cref="Name"/> to the entity's
/// finalizers on its first reconcile and removes it once <see cref="FinalizeAsync"/> succeeds.
/// </summary>
public interface IEntityFinalizer<in TEntity>
    where TEntity : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>The finalizer string stored in <c>metadata.finalizers</c>.</summary>
    string Name { get; }

    /// <summary>Runs the cleanup; throwing keeps the finalizer and retries with back-off.</summary>
    Task FinalizeAsync(TEntity entity, CancellationToken cancellationToken);
}

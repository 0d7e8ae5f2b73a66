using k8s;
using k8s.Models;

namespace Whetstone.Operator.Runtime.Controllers;

/// <summary>
/// A controller for one kind. Reconcile is level-based and idempotent: read the world, compute what should
/// exist, create or patch the difference, write status. The same world in gives no writes out.
/// </summary>
/// <typeparam name="TEntity">The custom resource type.</typeparam>
public interface IEntityController<TEntity>
    where TEntity : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>Brings the world in line with <paramref name="entity"/>; may ask to be called again later.</summary>
    Task<ReconciliationResult<TEntity>> ReconcileAsync(TEntity entity, CancellationToken cancellationToken);

    /// <summary>Called once the entity is gone from the API (after its finalizers ran).</summary>
    Task<ReconciliationResult<TEntity>> DeletedAsync(TEntity entity, CancellationToken cancellationToken);
}

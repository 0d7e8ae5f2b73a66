using k8s;
using k8s.Models;

namespace Whetstone.Operator.Runtime.Controllers;

/// <summary>
/// What a reconcile produced: success or failure, and optionally when to look again. A requeue is a value,
/// never an exception. A failure without <see cref="RequeueAfter"/> is retried with per-item back-off.
/// </summary>
public sealed record ReconciliationResult<TEntity>
    where TEntity : IKubernetesObject<V1ObjectMeta>
{
    private ReconciliationResult(TEntity entity, bool isSuccess, string? errorMessage, Exception? error, TimeSpan? requeueAfter)
    {
        Entity = entity;
        IsSuccess = isSuccess;
        ErrorMessage = errorMessage;
        Error = error;
        RequeueAfter = requeueAfter;
    }

    /// <summary>The entity as the controller last saw it.</summary>
    public TEntity Entity { get; }

    /// <summary>Whether the reconcile succeeded.</summary>
    public bool IsSuccess { get; }

    /// <summary>Why it failed, for logs and metrics.</summary>
    public string? ErrorMessage { get; }

    /// <summary>The exception behind the failure, if any.</summary>
    public Exception? Error { get; }

    /// <summary>When to reconcile again regardless of events; null means only on the next event.</summary>
    public TimeSpan? RequeueAfter { get; }

    /// <summary>A successful reconcile, optionally asking to run again after <paramref name="requeueAfter"/>.</summary>
    public static ReconciliationResult<TEntity> Success(TEntity entity, TimeSpan? requeueAfter = null) =>
        new(entity, true, null, null, requeueAfter);

    /// <summary>A failed reconcile; retried after <paramref name="requeueAfter"/> or with back-off when null.</summary>
    public static ReconciliationResult<TEntity> Failure(TEntity entity, string errorMessage, Exception? error = null, TimeSpan? requeueAfter = null) =>
        new(entity, false, errorMessage, error, requeueAfter);
}

using System.Collections.Concurrent;
using k8s;
using Whetstone.Operator.Runtime.Clients;
using Whetstone.Operator.Runtime.Controllers;
using Whetstone.Operator.Tests.Cluster;

namespace Whetstone.Operator.Tests.Runtime.Controllers;

/// <summary>
/// A real controller for the tests' Widget kind: it copies spec.size into status.observedSize through the status
/// subresource, and writes nothing when they already agree. Behaviour knobs let tests make it fail or requeue.
/// </summary>
public sealed class WidgetController(IEntityClient<Widget> client) : IEntityController<Widget>
{
    public ConcurrentDictionary<string, int> Reconciles { get; } = new();

    public ConcurrentDictionary<string, int> StatusWrites { get; } = new();

    public ConcurrentBag<string> Deleted { get; } = [];

    /// <summary>Fail this many first reconciles of each object.</summary>
    public int FailFirst { get; init; }

    /// <summary>Ask for a requeue after this delay on every success.</summary>
    public TimeSpan? RequeueAfter { get; init; }

    public async Task<ReconciliationResult<Widget>> ReconcileAsync(Widget entity, CancellationToken cancellationToken)
    {
        var count = Reconciles.AddOrUpdate(entity.Metadata.Name, 1, (_, n) => n + 1);
        if (count <= FailFirst)
        {
            return ReconciliationResult<Widget>.Failure(entity, $"planned failure {count}");
        }

        if (entity.Status?.ObservedSize != entity.Spec.Size)
        {
            entity.Status = new WidgetStatus { ObservedSize = entity.Spec.Size, Reconciles = count };
            entity = await client.ReplaceStatusAsync(entity, cancellationToken);
            StatusWrites.AddOrUpdate(entity.Metadata.Name, 1, (_, n) => n + 1);
        }

        return ReconciliationResult<Widget>.Success(entity, RequeueAfter);
    }

    public Task<ReconciliationResult<Widget>> DeletedAsync(Widget entity, CancellationToken cancellationToken)
    {
        Deleted.Add(entity.Metadata.Name);
        return Task.FromResult(ReconciliationResult<Widget>.Success(entity));
    }
}

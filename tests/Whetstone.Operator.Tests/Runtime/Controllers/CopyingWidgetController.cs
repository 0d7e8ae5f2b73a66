using System.Collections.Concurrent;
using k8s;
using Whetstone.Operator.Runtime.Clients;
using Whetstone.Operator.Runtime.Controllers;
using Whetstone.Operator.Tests.Cluster;

namespace Whetstone.Operator.Tests.Runtime.Controllers;

/// <summary>
/// Copies spec.size into status.observedSize like <see cref="WidgetController"/>, but writes a copy and never touches
/// the object it was given (the informer's cached copy), as the FineTuneJob controller does with records. It asks to
/// run again after <see cref="RequeueAfter"/> every time.
/// </summary>
public sealed class CopyingWidgetController(IEntityClient<Widget> client, TimeSpan requeueAfter) : IEntityController<Widget>
{
    public ConcurrentDictionary<string, int> Reconciles { get; } = new();

    public ConcurrentDictionary<string, int> StatusWrites { get; } = new();

    public TimeSpan RequeueAfter => requeueAfter;

    public async Task<ReconciliationResult<Widget>> ReconcileAsync(Widget entity, CancellationToken cancellationToken)
    {
        var count = Reconciles.AddOrUpdate(entity.Metadata.Name, 1, (_, n) => n + 1);
        if (entity.Status?.ObservedSize != entity.Spec.Size)
        {
            var copy = KubernetesJson.Deserialize<Widget>(KubernetesJson.Serialize(entity));
            copy.Status = new WidgetStatus { ObservedSize = entity.Spec.Size, Reconciles = count };
            entity = await client.ReplaceStatusAsync(copy, cancellationToken);
            StatusWrites.AddOrUpdate(entity.Metadata.Name, 1, (_, n) => n + 1);
        }

        return ReconciliationResult<Widget>.Success(entity, requeueAfter);
    }

    public Task<ReconciliationResult<Widget>> DeletedAsync(Widget entity, CancellationToken cancellationToken) =>
        Task.FromResult(ReconciliationResult<Widget>.Success(entity));
}

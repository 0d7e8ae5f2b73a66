using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Whetstone.Api;
using Whetstone.Operator.Runtime.Controllers;

namespace Whetstone.Operator.Workers;

/// <summary>
/// Before a job goes, stops its worker pods (SIGTERM, so a worker can checkpoint and exit cleanly) rather than
/// leaving them to garbage collection. Artifacts are never touched: a deleted job's published outputs stay.
/// </summary>
public sealed class WorkerPodFinalizer<TEntity>(IKubernetes client) : IEntityFinalizer<TEntity>
    where TEntity : IKubernetesObject<V1ObjectMeta>
{
    /// <inheritdoc />
    public string Name => WhetstoneFinalizers.Cleanup;

    /// <inheritdoc />
    public async Task FinalizeAsync(TEntity entity, CancellationToken cancellationToken)
    {
        var selector = string.Join(',', WorkerPodBuilder.SelectorLabels(entity.Kind, entity.Metadata.Name).Select(l => $"{l.Key}={l.Value}"));
        var pods = await client.CoreV1.ListNamespacedPodAsync(entity.Metadata.NamespaceProperty, labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var pod in pods.Items.Where(p => p.Metadata.DeletionTimestamp is null))
        {
            try
            {
                await client.CoreV1.DeleteNamespacedPodAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
            {
                // Gone already.
            }
        }
    }
}

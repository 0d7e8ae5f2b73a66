using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Whetstone.Api;
using Whetstone.Operator.Runtime.Informers;

namespace Whetstone.Operator.Workers;

/// <summary>
/// The worker pods of every job, from an informer over pods labelled with <see cref="WhetstoneLabels.Kind"/>; maps each pod
/// back to its owning job so pod changes trigger that job's reconcile.
/// </summary>
public sealed class WorkerPodCache(Informer<V1Pod> informer, IKubernetes client)
{
    /// <summary>The informer, to run beside the controllers.</summary>
    public Informer<V1Pod> Informer => informer;

    /// <summary>Calls <paramref name="enqueue"/> with <c>namespace/job</c> whenever a worker pod of <paramref name="kind"/> changes.</summary>
    public void OnJobPodChanged(string kind, Action<string> enqueue) => informer.OnEvent(change =>
    {
        var labels = change.Object.Metadata.Labels;
        if (labels is not null && labels.TryGetValue(WhetstoneLabels.Kind, out var k) && k == kind && labels.TryGetValue(WhetstoneLabels.Job, out var job))
        {
            enqueue($"{change.Object.Metadata.NamespaceProperty}/{job}");
        }
    });

    /// <summary>
    /// The job's worker pods, once the cache has synced. The cache may lag behind a pod the operator just created, so
    /// when the job's latest attempt is missing from it, that pod is read from the API before anyone concludes it is gone.
    /// </summary>
    public async Task<IReadOnlyList<V1Pod>> ForJobAsync(string kind, string @namespace, string job, string? latestPodName, CancellationToken cancellationToken)
    {
        // Controllers start when their own informer has synced, maybe before this one: an empty cache would send
        // every job's latest pod to the API (a GET per job after each operator start) instead of waiting for one list.
        await informer.Synced.WaitAsync(cancellationToken).ConfigureAwait(false);
        var pods = informer.List()
            .Where(p => p.Metadata.NamespaceProperty == @namespace
                && p.Metadata.Labels is { } l && l.TryGetValue(WhetstoneLabels.Kind, out var k) && k == kind
                && l.TryGetValue(WhetstoneLabels.Job, out var j) && j == job)
            .ToList();
        if (latestPodName is null || pods.Any(p => p.Metadata.Name == latestPodName))
        {
            return pods;
        }

        try
        {
            pods.Add(await client.CoreV1.ReadNamespacedPodAsync(latestPodName, @namespace, cancellationToken: cancellationToken).ConfigureAwait(false));
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            // Really gone.
        }

        return pods;
    }
}

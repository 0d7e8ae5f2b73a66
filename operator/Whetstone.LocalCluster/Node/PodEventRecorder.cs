using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Whetstone.LocalCluster.Node;

/// <summary>
/// Records core/v1 Events about Pods (Scheduled, FailedScheduling, Started, Killing …) so
/// <c>kubectl describe pod</c> tells the same story as on a real cluster. Best effort: a failed write is logged
/// and never stops the caller.
/// </summary>
internal sealed class PodEventRecorder(IKubernetes client, string component, string nodeName, ILogger logger)
{
    public async Task RecordAsync(V1Pod pod, string type, string reason, string message, CancellationToken ct)
    {
        var now = DateTime.UtcNow;
        var ns = pod.Metadata.NamespaceProperty ?? "default";
        var record = new Corev1Event
        {
            Metadata = new V1ObjectMeta { GenerateName = pod.Metadata.Name + ".", NamespaceProperty = ns },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = "v1",
                Kind = "Pod",
                Name = pod.Metadata.Name,
                NamespaceProperty = ns,
                Uid = pod.Metadata.Uid,
                ResourceVersion = pod.Metadata.ResourceVersion,
            },
            Type = type,
            Reason = reason,
            Message = message,
            Count = 1,
            FirstTimestamp = now,
            LastTimestamp = now,
            Source = new V1EventSource { Component = component, Host = nodeName },
            ReportingComponent = component,
            ReportingInstance = nodeName,
        };
        try
        {
            await client.CoreV1.CreateNamespacedEventAsync(record, ns, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Node stopping.
        }
#pragma warning disable CA1031 // Events are informational; losing one must not affect scheduling or containers.
        catch (Exception error)
#pragma warning restore CA1031
        {
            logger.LogDebug(error, "Could not record event {Reason} for pod {Namespace}/{Pod}", reason, ns, pod.Metadata.Name);
        }
    }
}

using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Whetstone.Operator.Runtime.Events;

/// <summary>
/// Writes core/v1 Events about an object, so <c>kubectl describe</c> shows what the operator did. A repeat of the
/// same reason and message on the same object bumps the existing event's count instead of adding a new one.
/// Failing to record an event never fails a reconcile: it is logged.
/// </summary>
public sealed class EventRecorder(IKubernetes client, string component, ILogger<EventRecorder> logger, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, (string Name, int Count)> _recent = new(StringComparer.Ordinal);

    /// <summary>A Normal event.</summary>
    public Task NormalAsync(IKubernetesObject<V1ObjectMeta> about, string reason, string message, CancellationToken cancellationToken) =>
        RecordAsync(about, "Normal", reason, message, cancellationToken);

    /// <summary>A Warning event.</summary>
    public Task WarningAsync(IKubernetesObject<V1ObjectMeta> about, string reason, string message, CancellationToken cancellationToken) =>
        RecordAsync(about, "Warning", reason, message, cancellationToken);

    private async Task RecordAsync(IKubernetesObject<V1ObjectMeta> about, string type, string reason, string message, CancellationToken cancellationToken)
    {
        var ns = about.Metadata.NamespaceProperty ?? "default";
        var key = $"{about.Metadata.Uid}|{type}|{reason}|{message}";
        var now = _time.GetUtcNow().UtcDateTime;
        try
        {
            if (_recent.TryGetValue(key, out var seen))
            {
                var patch = new { count = seen.Count + 1, lastTimestamp = now };
                await client.CoreV1.PatchNamespacedEventAsync(
                    new V1Patch(KubernetesJson.Serialize(patch), V1Patch.PatchType.MergePatch), seen.Name, ns,
                    cancellationToken: cancellationToken).ConfigureAwait(false);
                _recent[key] = (seen.Name, seen.Count + 1);
                return;
            }

            var created = await client.CoreV1.CreateNamespacedEventAsync(
                new Corev1Event
                {
                    Metadata = new V1ObjectMeta { GenerateName = $"{about.Metadata.Name}.", NamespaceProperty = ns },
                    InvolvedObject = new V1ObjectReference
                    {
                        ApiVersion = about.ApiVersion,
                        Kind = about.Kind,
                        Name = about.Metadata.Name,
                        NamespaceProperty = ns,
                        Uid = about.Metadata.Uid,
                        ResourceVersion = about.Metadata.ResourceVersion,
                    },
                    Type = type,
                    Reason = reason,
                    Message = message,
                    Count = 1,
                    FirstTimestamp = now,
                    LastTimestamp = now,
                    Source = new V1EventSource { Component = component },
                    ReportingComponent = component,
                    ReportingInstance = Environment.MachineName,
                },
                ns,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            _recent[key] = (created.Metadata.Name, 1);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            // The aggregated event was deleted (events expire): start a new one next time.
            _recent.TryRemove(key, out _);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("{Namespace}/{Name}: could not record event {Reason}: {Error}", ns, about.Metadata.Name, reason, e.Message);
        }
    }
}

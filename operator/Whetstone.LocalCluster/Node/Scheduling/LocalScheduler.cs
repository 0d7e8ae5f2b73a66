using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Whetstone.LocalCluster.Node.Scheduling;

/// <summary>
/// A one-node kube-scheduler: every pass reads all Pods, places unassigned ones that fit (oldest first, higher
/// priority first) by binding them to the node, and marks the rest PodScheduled=False/Unschedulable with
/// kube-scheduler's message. A Pod that did not fit is retried on the next pass, which any Pod change (one
/// finishing or being deleted frees capacity) or the resync interval triggers.
/// </summary>
internal sealed class LocalScheduler(
    IKubernetes client, LocalNodeOptions options, Func<V1Node> registeredNode, ChangeSignal signal, ILogger logger)
{
    private readonly PodEventRecorder _events = new(client, DefaultScheduler, options.NodeName, logger);
    private const string DefaultScheduler = "default-scheduler";
    private bool _bindingServed = true;

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await SchedulePassAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // One failed pass is retried on the next signal; the scheduler must keep running.
            catch (Exception error)
#pragma warning restore CA1031
            {
                logger.LogWarning(error, "Scheduling pass failed; retrying. {Response}", KubernetesErrors.Describe(error));
            }

            try
            {
                await signal.WaitAsync(options.ResyncInterval, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task SchedulePassAsync(CancellationToken ct)
    {
        var pods = (await client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false)).Items;
        var pending = pods.Where(IsWaitingForScheduling)
            .OrderByDescending(pod => pod.Spec.Priority ?? 0)
            .ThenBy(pod => pod.Metadata.CreationTimestamp ?? DateTime.MinValue)
            .ThenBy(pod => pod.Metadata.NamespaceProperty, StringComparer.Ordinal)
            .ThenBy(pod => pod.Metadata.Name, StringComparer.Ordinal)
            .ToList();
        if (pending.Count == 0)
        {
            return;
        }

        var node = await ReadNodeAsync(ct).ConfigureAwait(false);
        var holding = pods.Where(pod => pod.Spec?.NodeName == node.Metadata.Name && !IsTerminal(pod)).ToList();
        foreach (var pod in pending)
        {
            var fit = PodFit.Calculate(pod, node, holding);
            if (fit.Fits)
            {
                await BindAsync(pod, node.Metadata.Name, ct).ConfigureAwait(false);
                holding.Add(pod);
            }
            else
            {
                await PersistUnschedulableAsync(pod, SchedulingMessage.FormatUnschedulable([fit]), ct).ConfigureAwait(false);
            }
        }
    }

    private static bool IsWaitingForScheduling(V1Pod pod) =>
        string.IsNullOrEmpty(pod.Spec?.NodeName)
        && pod.Metadata?.DeletionTimestamp is null
        && !IsTerminal(pod)
        && (pod.Spec?.SchedulerName ?? DefaultScheduler) == DefaultScheduler;

    private static bool IsTerminal(V1Pod pod) => pod.Status?.Phase is "Succeeded" or "Failed";

    private async Task<V1Node> ReadNodeAsync(CancellationToken ct)
    {
        try
        {
            // The server copy carries labels and taints someone changed with kubectl; fall back to ours.
            var node = await client.CoreV1.ReadNodeAsync(options.NodeName, cancellationToken: ct).ConfigureAwait(false);
            return node.Status?.Allocatable is null ? registeredNode() : node;
        }
        catch (Exception error) when (KubernetesErrors.IsNotFound(error))
        {
            return registeredNode();
        }
    }

    // PodScheduled=True is not written here: the kubelet reports it with the rest of the status, and a second
    // writer of the conditions list would race with it.
    private async Task BindAsync(V1Pod pod, string nodeName, CancellationToken ct)
    {
        var (ns, name) = (pod.Metadata.NamespaceProperty, pod.Metadata.Name);
        if (_bindingServed)
        {
            var binding = new V1Binding
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Uid = pod.Metadata.Uid },
                Target = new V1ObjectReference { ApiVersion = "v1", Kind = "Node", Name = nodeName },
            };
            try
            {
                await client.CoreV1.CreateNamespacedPodBindingAsync(binding, name, ns, cancellationToken: ct).ConfigureAwait(false);
                await RecordScheduledAsync(pod, nodeName, ct).ConfigureAwait(false);
                return;
            }
            catch (Exception error) when (KubernetesErrors.IsUnusable(error))
            {
                if (!await ExistsAsync(pod, ct).ConfigureAwait(false))
                {
                    return;
                }

                _bindingServed = false;
                logger.LogWarning(error, "The API server's pods/binding subresource is missing or failing; binding by setting spec.nodeName instead");
            }
        }

        var patch = new V1Pod { Spec = new V1PodSpec { NodeName = nodeName } };
        await client.CoreV1.PatchNamespacedPodAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), name, ns, cancellationToken: ct)
            .ConfigureAwait(false);
        await RecordScheduledAsync(pod, nodeName, ct).ConfigureAwait(false);
    }

    private async Task RecordScheduledAsync(V1Pod pod, string nodeName, CancellationToken ct)
    {
        var (ns, name) = (pod.Metadata.NamespaceProperty, pod.Metadata.Name);
        logger.LogInformation("Bound pod {Namespace}/{Pod} to node {Node}", ns, name, nodeName);
        await _events.RecordAsync(pod, "Normal", "Scheduled", $"Successfully assigned {ns}/{name} to {nodeName}", ct).ConfigureAwait(false);
    }

    private async Task<bool> ExistsAsync(V1Pod pod, CancellationToken ct)
    {
        try
        {
            await client.CoreV1.ReadNamespacedPodAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: ct).ConfigureAwait(false);
            return true;
        }
        catch (Exception error) when (KubernetesErrors.IsNotFound(error))
        {
            return false;
        }
    }

    private async Task PersistUnschedulableAsync(V1Pod pod, string message, CancellationToken ct)
    {
        var current = pod.Status?.Conditions?.FirstOrDefault(condition => condition.Type == "PodScheduled");
        if (current is { Status: "False", Reason: "Unschedulable" } && current.Message == message)
        {
            return;
        }

        logger.LogInformation("Pod {Namespace}/{Pod} is unschedulable: {Message}", pod.Metadata.NamespaceProperty, pod.Metadata.Name, message);
        await _events.RecordAsync(pod, "Warning", "FailedScheduling", message, ct).ConfigureAwait(false);
        await PersistConditionAsync(pod, new V1PodCondition
        {
            Type = "PodScheduled",
            Status = "False",
            Reason = "Unschedulable",
            Message = message,
            LastTransitionTime = DateTime.UtcNow,
        }, ct).ConfigureAwait(false);
    }

    private async Task PersistConditionAsync(V1Pod pod, V1PodCondition condition, CancellationToken ct)
    {
        var conditions = (pod.Status?.Conditions ?? []).Where(existing => existing.Type != condition.Type).Append(condition).ToList();
        var patch = new V1Pod { Status = new V1PodStatus { Phase = "Pending", Conditions = conditions } };
        try
        {
            await client.CoreV1.PatchNamespacedPodStatusAsync(
                new V1Patch(patch, V1Patch.PatchType.MergePatch), pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: ct)
                .ConfigureAwait(false);
        }
        catch (Exception error) when (KubernetesErrors.IsNotFound(error))
        {
            // Deleted meanwhile: nothing to report.
        }
    }
}

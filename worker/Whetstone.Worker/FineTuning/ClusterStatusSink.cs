using k8s;
using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;

namespace Whetstone.Worker.FineTuning;

/// <summary>
/// Merge-patches the worker-owned fields (progress, metrics, lossHistory, dataset, cost, artifacts) onto the
/// FineTuneJob's status subresource. Phase, conditions and the rest belong to the operator and are never sent.
/// </summary>
internal sealed class ClusterStatusSink(IKubernetes client, string jobNamespace, string jobName) : IStatusSink
{
    public async Task WriteAsync(FineTuneJobStatus status, CancellationToken cancellationToken)
    {
        var patch = new
        {
            status = new
            {
                progress = status.Progress,
                metrics = status.Metrics,
                lossHistory = status.LossHistory,
                dataset = status.Dataset,
                cost = status.Cost,
                artifacts = status.Artifacts,
            },
        };
        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(KubernetesJson.Serialize(patch), V1Patch.PatchType.MergePatch),
            WhetstoneApi.Group, WhetstoneApi.Version, jobNamespace, Plurals.FineTuneJobs, jobName,
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}

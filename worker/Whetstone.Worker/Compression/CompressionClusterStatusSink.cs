using k8s;
using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;

namespace Whetstone.Worker.Compression;

/// <summary>
/// Merge-patches the worker-owned fields (steps, results, artifacts, message, cost) onto the CompressionJob's status
/// subresource. Phase and conditions belong to the operator, which reads the termination message, and are never sent.
/// </summary>
internal sealed class CompressionClusterStatusSink(IKubernetes client, string jobNamespace, string jobName) : ICompressionStatusSink
{
    public async Task WriteAsync(CompressionJobStatus status, CancellationToken cancellationToken)
    {
        var patch = new
        {
            status = new
            {
                steps = status.Steps,
                results = status.Results,
                artifacts = status.Artifacts,
                message = status.Message,
                cost = status.Cost,
            },
        };
        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(KubernetesJson.Serialize(patch), V1Patch.PatchType.MergePatch),
            WhetstoneApi.Group, WhetstoneApi.Version, jobNamespace, Plurals.CompressionJobs, jobName,
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}

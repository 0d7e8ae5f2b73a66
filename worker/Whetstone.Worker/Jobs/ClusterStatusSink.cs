using k8s;
using k8s.Models;
using Whetstone.Api;

namespace Whetstone.Worker.Jobs;

/// <summary>
/// Merge-patches the worker-owned fields of a job's status, as its kind projects them
/// (<see cref="WorkerJobKind{TJob,TStatus}.WorkerOwnedFields"/>), onto the object's status subresource. Phase,
/// conditions and the rest belong to the operator and are never sent.
/// </summary>
/// <typeparam name="TStatus">The kind's status type.</typeparam>
internal sealed class ClusterStatusSink<TStatus>(IKubernetes client, string plural, Func<TStatus, object> workerOwnedFields, string jobNamespace, string jobName) : IStatusSink<TStatus>
{
    /// <inheritdoc />
    public async Task WriteAsync(TStatus status, CancellationToken cancellationToken)
    {
        var patch = new { status = workerOwnedFields(status) };
        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(KubernetesJson.Serialize(patch), V1Patch.PatchType.MergePatch),
            WhetstoneApi.Group, WhetstoneApi.Version, jobNamespace, plural, jobName,
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}

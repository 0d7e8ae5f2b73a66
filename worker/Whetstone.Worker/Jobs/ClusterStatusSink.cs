using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Whetstone.Api;

namespace Whetstone.Worker.Jobs;

/// <summary>
/// Merge-patches the worker-owned fields of a job's status (<see cref="WorkerJobKind{TJob,TStatus}.WorkerOwnedFields"/>)
/// onto the object's status subresource. Phase, conditions and the rest belong to the operator and are never sent.
/// </summary>
/// <typeparam name="TStatus">The kind's status type.</typeparam>
internal sealed class ClusterStatusSink<TStatus>(IKubernetes client, string plural, IReadOnlyList<string> workerOwnedFields, string jobNamespace, string jobName) : IStatusSink<TStatus>
{
    /// <inheritdoc />
    public async Task WriteAsync(TStatus status, CancellationToken cancellationToken)
    {
        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(Patch(status, workerOwnedFields), V1Patch.PatchType.MergePatch),
            WhetstoneApi.Group, WhetstoneApi.Version, jobNamespace, plural, jobName,
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The merge patch <c>{"status": {…}}</c> holding only <paramref name="fields"/> of <paramref name="status"/>, as serialized.</summary>
    public static string Patch(TStatus status, IReadOnlyList<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var full = JsonNode.Parse(KubernetesJson.Serialize(status))?.AsObject() ?? [];
        var owned = new JsonObject();
        foreach (var field in fields)
        {
            if (full.TryGetPropertyValue(field, out var value))
            {
                owned[field] = value?.DeepClone();
            }
        }

        return new JsonObject { ["status"] = owned }.ToJsonString();
    }
}

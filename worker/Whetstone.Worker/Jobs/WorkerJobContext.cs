using k8s;
using k8s.Models;
using Whetstone.Artifacts;

namespace Whetstone.Worker.Jobs;

/// <summary>What one attempt of a worker job needs besides the object: where it may work and how URIs resolve.</summary>
/// <typeparam name="TJob">The kind's object (FineTuneJob, CompressionJob, EvaluationRun).</typeparam>
/// <param name="Job">The object (from a task file or the API server).</param>
/// <param name="JobUid">Outputs and checkpoints go under <c>&lt;spec.output.uri&gt;/&lt;JobUid&gt;/</c>.</param>
/// <param name="WorkDirectory">Local scratch: model cache, downloaded inputs, staged outputs.</param>
/// <param name="TaskDirectory">Folder of the task file, for relative <c>file:</c> URIs; null in a pod.</param>
/// <param name="Cluster">The API client in a pod (reads referenced jobs); null standalone.</param>
internal sealed record WorkerJobContext<TJob>(TJob Job, string JobUid, string WorkDirectory, string? TaskDirectory, IKubernetes? Cluster = null) : IWorkerJobContext
    where TJob : IKubernetesObject<V1ObjectMeta>
{
    /// <inheritdoc />
    public string Name => Job.Metadata.Name ?? JobUid;

    /// <inheritdoc />
    public long? Generation => Job.Metadata.Generation;

    /// <inheritdoc />
    public string Namespace => Job.Metadata.NamespaceProperty ?? "default";

    /// <inheritdoc />
    public string OutputPrefix
    {
        get
        {
            var uidPrefix = ArtifactKeys.JobOutputPrefix("", JobUid);
            return Generation is { } generation ? FormattableString.Invariant($"{uidPrefix}g{generation}/") : uidPrefix;
        }
    }
}

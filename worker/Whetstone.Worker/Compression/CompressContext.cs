using k8s;
using Whetstone.Api.V1Alpha1;

namespace Whetstone.Worker.Compression;

/// <summary>What one compression run needs besides the job: where it may work and how task-relative URIs resolve.</summary>
/// <param name="Job">The CompressionJob (from a task file or the API server).</param>
/// <param name="JobUid">Outputs go under <c>&lt;spec.output.uri&gt;/&lt;JobUid&gt;/g&lt;generation&gt;/</c>.</param>
/// <param name="WorkDirectory">Local scratch: downloaded inputs, every step's model, probes, staged outputs.</param>
/// <param name="TaskDirectory">Folder of the task file, for relative <c>file:</c> URIs; null in a pod.</param>
/// <param name="Cluster">The API client in a pod (reads referenced FineTuneJobs); null standalone.</param>
internal sealed record CompressContext(CompressionJob Job, string JobUid, string WorkDirectory, string? TaskDirectory, IKubernetes? Cluster = null)
{
    /// <summary>The generation whose spec this run executes; null for a task file without one.</summary>
    public long? Generation => Job.Metadata.Generation;
}

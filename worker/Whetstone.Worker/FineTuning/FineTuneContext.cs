using k8s;
using Whetstone.Api.V1Alpha1;

namespace Whetstone.Worker.FineTuning;

/// <summary>What one run needs besides the job: where it may work locally and how task-relative URIs resolve.</summary>
/// <param name="Job">The FineTuneJob (from a task file or the API server).</param>
/// <param name="JobUid">Outputs and checkpoints go under <c>&lt;spec.output.uri&gt;/&lt;JobUid&gt;/</c>.</param>
/// <param name="WorkDirectory">Local scratch: model cache, prepared dataset, staged outputs.</param>
/// <param name="TaskDirectory">Folder of the task file, for relative <c>file:</c> URIs; null in a pod.</param>
/// <param name="Cluster">The API client in a pod (reads referenced jobs); null standalone.</param>
internal sealed record FineTuneContext(FineTuneJob Job, string JobUid, string WorkDirectory, string? TaskDirectory, IKubernetes? Cluster = null)
{
    /// <summary>
    /// The job generation whose spec this attempt runs: outputs go under <c>&lt;uid&gt;/g&lt;generation&gt;/</c> so an
    /// edited spec never collides with an earlier one's; null for a task file without <c>metadata.generation</c>.
    /// </summary>
    public long? Generation => Job.Metadata.Generation;
}

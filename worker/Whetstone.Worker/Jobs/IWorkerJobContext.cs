using k8s;

namespace Whetstone.Worker.Jobs;

/// <summary>The kind-independent part of a <see cref="WorkerJobContext{TJob}"/>, which the shared job parts read.</summary>
internal interface IWorkerJobContext
{
    /// <summary>The object's name (the job's uid for a task file without one).</summary>
    string Name { get; }

    /// <summary>Outputs and checkpoints go under <c>&lt;spec.output.uri&gt;/&lt;JobUid&gt;/</c>.</summary>
    string JobUid { get; }

    /// <summary>Local scratch: model cache, downloaded inputs, staged outputs.</summary>
    string WorkDirectory { get; }

    /// <summary>Folder of the task file, for relative <c>file:</c> URIs; null in a pod.</summary>
    string? TaskDirectory { get; }

    /// <summary>The API client in a pod (reads referenced jobs); null standalone.</summary>
    IKubernetes? Cluster { get; }

    /// <summary>
    /// The generation whose spec this attempt runs: outputs go under <c>&lt;uid&gt;/g&lt;generation&gt;/</c> so an
    /// edited spec never collides with an earlier one's; null for a task file without <c>metadata.generation</c>.
    /// </summary>
    long? Generation { get; }

    /// <summary>The object's namespace (<c>default</c> for a task file without one): referenced jobs are read there.</summary>
    string Namespace { get; }

    /// <summary>Where this attempt's outputs go below the output root: <c>&lt;uid&gt;/g&lt;generation&gt;/</c>, or <c>&lt;uid&gt;/</c>.</summary>
    string OutputPrefix { get; }
}

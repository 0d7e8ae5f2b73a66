using k8s.Models;

namespace Whetstone.Operator.Configuration;

/// <summary>
/// How worker pods are built (section <c>Whetstone:Workers</c>). Everything that differs between a real cluster and
/// the embedded one lives here, never in a code path: the embedded mode is just another configuration.
/// </summary>
public sealed record WorkerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Whetstone:Workers";

    /// <summary>The worker image.</summary>
    public string Image { get; init; } = "ghcr.io/whetstone-dev/worker:latest";

    /// <summary>When to pull the image.</summary>
    public string ImagePullPolicy { get; init; } = "IfNotPresent";

    /// <summary>
    /// When true (the default), each job's workers run as their own ServiceAccount <c>&lt;job&gt;-worker</c>, bound to a
    /// Role that allows reading that job and patching only its status (the operator creates them, owned by the job).
    /// When false, every worker runs as <see cref="ServiceAccountName"/>.
    /// </summary>
    public bool PerJobServiceAccounts { get; init; } = true;

    /// <summary>The shared service account worker pods run as when <see cref="PerJobServiceAccounts"/> is false.</summary>
    public string ServiceAccountName { get; init; } = "whetstone-worker";

    /// <summary>The Secret holding the artifact store's credentials, passed to the worker as environment variables.</summary>
    public string? ArtifactStoreSecretName { get; init; } = "whetstone-artifacts";

    /// <summary>The extended resource GPUs are requested as, unless a job names another.</summary>
    public string GpuResourceName { get; init; } = "nvidia.com/gpu";

    /// <summary>The node label that carries the GPU product (GPU feature discovery's label).</summary>
    public string GpuProductLabel { get; init; } = "nvidia.com/gpu.product";

    /// <summary>Extra environment for every worker (for example KUBECONFIG in the embedded mode).</summary>
    public IDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Seconds a worker gets to checkpoint after SIGTERM (suspend, delete) before it is killed.</summary>
    public long TerminationGracePeriodSeconds { get; init; } = 60;

    /// <summary>The delay before the first retry of a failed attempt; doubles per attempt.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest delay between attempts.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The worker pod's securityContext (the chart sets non-root and seccomp RuntimeDefault); none when null.</summary>
    public V1PodSecurityContext? PodSecurityContext { get; init; }

    /// <summary>The worker container's securityContext (the chart sets a read-only root filesystem, no privilege escalation, all capabilities dropped); none when null.</summary>
    public V1SecurityContext? SecurityContext { get; init; }

    /// <summary>Where an emptyDir scratch volume is mounted in the worker (the writable place under a read-only root filesystem); no volume when empty.</summary>
    public string? ScratchMountPath { get; init; }

    /// <summary>The scratch volume's size limit (a quantity such as <c>20Gi</c>); unlimited when empty.</summary>
    public string? ScratchSizeLimit { get; init; }

    /// <summary>The worker's ephemeral-storage request (a quantity such as <c>10Gi</c>), so the scheduler places it where the scratch fits; none when empty.</summary>
    public string? EphemeralStorageRequest { get; init; }

    /// <summary>
    /// The node directory (a hostPath volume) that workers on one node share as their model cache, so each node
    /// downloads a base model once rather than once per job; the worker's user must be able to write it. Off when
    /// empty, as in the embedded mode, whose node gives workers a shared cache folder of its own. The chart sets
    /// <c>/var/cache/whetstone/models</c>.
    /// </summary>
    public string? ModelCacheHostPath { get; init; }

    /// <summary>
    /// The node model cache's bound (a quantity such as <c>100Gi</c>): a download that takes the cache over it removes
    /// the least recently used models idle for 10 minutes. Unbounded when empty. The chart sets <c>100Gi</c>.
    /// </summary>
    public string? ModelCacheMaxSize { get; init; }
}

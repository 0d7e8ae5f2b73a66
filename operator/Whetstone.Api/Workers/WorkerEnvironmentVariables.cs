namespace Whetstone.Api.Workers;

/// <summary>
/// The environment variables through which a worker pod learns which job it serves: the operator sets them, the
/// worker reads them.
/// </summary>
public static class WorkerEnvironmentVariables
{
    /// <summary>The job's kind (FineTuneJob, CompressionJob, EvaluationRun).</summary>
    public const string JobKind = "WHETSTONE_JOB_KIND";

    /// <summary>The job's namespace.</summary>
    public const string JobNamespace = "WHETSTONE_JOB_NAMESPACE";

    /// <summary>The job's name.</summary>
    public const string JobName = "WHETSTONE_JOB_NAME";

    /// <summary>The job's uid: outputs go under <c>&lt;output prefix&gt;/&lt;uid&gt;/</c>.</summary>
    public const string JobUid = "WHETSTONE_JOB_UID";

    /// <summary>The attempt number, starting at 1.</summary>
    public const string Attempt = "WHETSTONE_ATTEMPT";

    /// <summary>The job's generation the attempt was started for.</summary>
    public const string Generation = "WHETSTONE_JOB_GENERATION";

    /// <summary>Where the worker writes its termination message (default <see cref="WorkerTerminationMessage.DefaultPath"/>).</summary>
    public const string TerminationMessagePath = "WHETSTONE_TERMINATION_MESSAGE_PATH";

    /// <summary>
    /// The node's shared model cache directory (a hostPath volume on a cluster, a folder under the embedded node's data
    /// directory): workers on one node download each model once. Unset, each job caches under its own work folder.
    /// </summary>
    public const string ModelCache = "WHETSTONE_MODEL_CACHE";

    /// <summary>
    /// The node model cache's bound in bytes: a download that takes the cache over it removes the least recently used
    /// entries idle for 10 minutes. Unset, the cache is unbounded.
    /// </summary>
    public const string ModelCacheMaxBytes = "WHETSTONE_MODEL_CACHE_MAX_BYTES";
}

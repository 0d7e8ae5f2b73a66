using k8s.Models;
using k8s;

namespace Whetstone.Worker.Jobs;

/// <summary>
/// What a kind that runs in worker pods contributes to the shared job machinery (<see cref="WorkerJobCommand"/>):
/// its names, which status fields the worker owns, what SIGTERM means for it, and how one attempt starts.
/// </summary>
/// <typeparam name="TJob">The kind's object.</typeparam>
/// <typeparam name="TStatus">The kind's status type.</typeparam>
internal sealed record WorkerJobKind<TJob, TStatus>
    where TJob : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>The kind as the Api names it (<c>Kinds.FineTuneJob</c>).</summary>
    public required string Kind { get; init; }

    /// <summary>The resource's plural (<c>Plurals.FineTuneJobs</c>), for reads and status patches.</summary>
    public required string Plural { get; init; }

    /// <summary>The worker subcommand (<c>finetune</c>); also names the default work folder and the failure line.</summary>
    public required string Command { get; init; }

    /// <summary>The subcommand's help text.</summary>
    public required string Description { get; init; }

    /// <summary>When the status file is written, for <c>--status-file</c>'s help ("on every change").</summary>
    public required string StatusFileSchedule { get; init; }

    /// <summary>What the work folder holds, for <c>--work-dir</c>'s help.</summary>
    public required string WorkDirectoryContents { get; init; }

    /// <summary>The worker-owned status fields, as the object to merge-patch under <c>status</c> (never phase or conditions).</summary>
    public required Func<TStatus, object> WorkerOwnedFields { get; init; }

    /// <summary>What a stop request (SIGTERM, cancellation) means for this kind.</summary>
    public required JobInterruption Interruption { get; init; }

    /// <summary>The line said when a stop arrives before the work finished: stderr for a checkpoint, the failure message otherwise.</summary>
    public string InterruptedMessage { get; init; } = "stopped before the work finished";

    /// <summary>Creates one attempt of the job, writing status to the given sinks.</summary>
    public required Func<WorkerJobContext<TJob>, IStatusSink<TStatus>, IWorkerJobAttempt> StartAttempt { get; init; }
}

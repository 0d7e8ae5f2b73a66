using k8s;
using k8s.Models;

namespace Whetstone.Worker.Jobs;

/// <summary>
/// What a kind that runs in worker pods contributes to the shared job machinery (<see cref="WorkerJobCommand"/>):
/// its names, which status fields the worker owns, what a stop request means for it, and how one attempt starts.
/// </summary>
/// <typeparam name="TJob">The kind's object.</typeparam>
/// <typeparam name="TStatus">The kind's status type.</typeparam>
/// <param name="Kind">The kind as the Api names it (<c>Kinds.FineTuneJob</c>).</param>
/// <param name="Plural">The resource's plural (<c>Plurals.FineTuneJobs</c>), for reads and status patches.</param>
/// <param name="Command">The worker subcommand (<c>finetune</c>); also names the default work folder and the failure line.</param>
/// <param name="Help">The subcommand's help texts.</param>
/// <param name="WorkerOwnedFields">The status fields (JSON names) the worker owns and patches; phase and conditions never are.</param>
/// <param name="Interruption">What a stop request (SIGTERM, cancellation) means for this kind.</param>
/// <param name="StartAttempt">Creates one attempt of the job, writing status to the given sinks.</param>
internal sealed record WorkerJobKind<TJob, TStatus>(
    string Kind,
    string Plural,
    string Command,
    WorkerJobHelp Help,
    IReadOnlyList<string> WorkerOwnedFields,
    JobInterruption Interruption,
    Func<WorkerJobContext<TJob>, IStatusSink<TStatus>, IWorkerJobAttempt> StartAttempt)
    where TJob : IKubernetesObject<V1ObjectMeta>;

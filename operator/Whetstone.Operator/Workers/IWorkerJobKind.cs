using Whetstone.Operator.Preflight;

namespace Whetstone.Operator.Workers;

/// <summary>
/// What a kind of job contributes to the shared worker-job lifecycle (<see cref="WorkerJobPlanner{TJob, TStatus}"/>,
/// <see cref="WorkerJobController{TJob, TStatus}"/>): everything else (attempts, back-off, suspend, deadline, time to
/// live, spec changes, the preflight gate, conditions, worker access, cost) is the same for every kind. Printer columns
/// are attributes on the kind's type, where the CRD generator reads them.
/// </summary>
/// <typeparam name="TJob">The kind.</typeparam>
public interface IWorkerJobKind<in TJob>
{
    /// <summary>The worker subcommand each attempt runs (<c>finetune</c>, <c>compress</c>, <c>evaluate</c>).</summary>
    string Subcommand { get; }

    /// <summary>Failure reasons a retry would only repeat: the job fails at once instead of burning GPU time.</summary>
    IReadOnlySet<string> PermanentFailureReasons { get; }

    /// <summary>The status message when the worker finished without saying more.</summary>
    string SuccessMessage { get; }

    /// <summary>
    /// The status message of a succeeded job. A kind whose worker writes results to status describes them here (the
    /// operator reads them once the worker has written them); the default is what the worker said, else
    /// <see cref="SuccessMessage"/>.
    /// </summary>
    /// <param name="job">The job, with the status the worker wrote.</param>
    /// <param name="workerMessage">The message in the worker's termination message, if any.</param>
    string DescribeSuccess(TJob job, string? workerMessage) => workerMessage ?? SuccessMessage;

    /// <summary>
    /// Conditions a finished job's results decide (CompressionJob's <c>Aligned</c>, EvaluationRun's <c>GatesPassed</c>),
    /// read from what the worker wrote to status; none until it has. The default: none.
    /// </summary>
    IReadOnlyList<ResultCondition> ResultConditions(TJob job) => [];

    /// <summary>The jobs this job's spec names: it waits for them to succeed, and its worker may read them.</summary>
    IReadOnlyList<JobReference> References(TJob job);

    /// <summary>
    /// The checks to run, in order, before the first worker of a generation (the first that does not pass decides).
    /// </summary>
    IReadOnlyList<Func<CancellationToken, Task<PreflightVerdict>>> PreflightChecks(TJob job, ArtifactChecks checks);
}

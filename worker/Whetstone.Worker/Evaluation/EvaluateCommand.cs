using System.CommandLine;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Worker.Jobs;

namespace Whetstone.Worker.Evaluation;

/// <summary>
/// <c>whetstone-worker evaluate</c>: runs an EvaluationRun standalone from a task file (<c>--task</c>) or, in a worker
/// pod, the run named by the WHETSTONE_JOB_* environment (<c>--from-cluster</c>). Exit codes: 0 evaluated (whatever
/// the verdict; a failed gate is a verdict, not an error), 1 failed (termination message with a ConditionReason).
/// </summary>
internal static class EvaluateCommand
{
    /// <summary>EvaluationRun as a worker job: the status (verdict, scores, gates, contamination, report) is written once, at the end.</summary>
    public static WorkerJobKind<EvaluationRun, EvaluationRunStatus> Kind { get; } = new()
    {
        Kind = Kinds.EvaluationRun,
        Plural = Plurals.EvaluationRuns,
        Command = "evaluate",
        Description = "Score a model against a baseline as an EvaluationRun describes: suites, contamination check, gates, report",
        StatusFileSchedule = "at the end",
        WorkDirectoryContents = "model cache, downloads; the report when spec.output is omitted",
        WorkerOwnedFields = status => new
        {
            verdict = status.Verdict,
            scores = status.Scores,
            gates = status.Gates,
            contamination = status.Contamination,
            report = status.Report,
        },
        Interruption = JobInterruption.Propagate,
        StartAttempt = (context, sinks) => new Attempt(context, sinks),
    };

    public static Command Create()
    {
        var command = WorkerJobCommand.Create(Kind);
        command.Subcommands.Add(GeneralBenchmarkCommand.Create());
        return command;
    }

    private sealed class Attempt(WorkerJobContext<EvaluationRun> context, IStatusSink<EvaluationRunStatus> sinks) : IWorkerJobAttempt
    {
        public async Task<int> RunAsync(CancellationToken cancellationToken)
        {
            try
            {
                var status = await new EvaluationRunner(context, Console.WriteLine).RunAsync(cancellationToken).ConfigureAwait(false);
                await sinks.WriteAsync(status, cancellationToken).ConfigureAwait(false);
                return WorkerExitCodes.Succeeded;
            }
            catch (ContaminatedException contaminated)
            {
                // The finding is the result: written to status before the run fails Contaminated.
                await sinks.WriteAsync(contaminated.Status, cancellationToken).ConfigureAwait(false);
                throw new JobFailureException(contaminated.Reason, contaminated.Message, contaminated);
            }
        }
    }
}

using System.CommandLine;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Worker.Jobs;

namespace Whetstone.Worker.Evaluation;

/// <summary><c>whetstone-worker evaluate</c> (options: <see cref="WorkerJobCommand"/>) and its <c>general-benchmark</c> tool.</summary>
/// <remarks>A run that scored exits 0 whatever the verdict: a failed gate is a verdict, not an error.</remarks>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var command = WorkerJobCommand.Create(Kind);
        command.Subcommands.Add(GeneralBenchmarkCommand.Create());
        return command;
    }

    /// <summary>EvaluationRun as a worker job: the status (verdict, scores, gates, contamination, report) is written once, at the end.</summary>
    public static WorkerJobKind<EvaluationRun, EvaluationRunStatus> Kind { get; } = new(
        Kinds.EvaluationRun, Plurals.EvaluationRuns, "evaluate", Help, ["verdict", "scores", "gates", "contamination", "report"],
        JobInterruption.Propagate, (context, sinks) => new Attempt(context, sinks));

    private static WorkerJobHelp Help => new("Score a model against a baseline as an EvaluationRun describes: suites, contamination check, gates, report", "at the end", "model cache, downloads; the report when spec.output is omitted");

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

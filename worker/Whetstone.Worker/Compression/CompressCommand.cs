using System.CommandLine;
using Spectre.Console;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Worker.Jobs;

namespace Whetstone.Worker.Compression;

/// <summary>
/// <c>whetstone-worker compress</c> (the shared options are <see cref="WorkerJobCommand"/>'s): exits 0 when the
/// compressed model is aligned, 1 with AlignmentFailed after publishing an unaligned one, 143 after SIGTERM (a training
/// step checkpoints first), 1 on any other failure.
/// </summary>
internal static class CompressCommand
{
    /// <summary>CompressionJob as a worker job: status (steps, results, artifacts, message, cost) is written on every change.</summary>
    public static WorkerJobKind<CompressionJob, CompressionJobStatus> Kind { get; } = new(
        Kinds.CompressionJob, Plurals.CompressionJobs, "compress", Help, ["steps", "results", "artifacts", "message", "cost"],
        JobInterruption.Checkpoint("stopped before the compression finished; a distill or recovery step that was training wrote a checkpoint the next attempt resumes from"),
        (context, sinks) => new Attempt(context, sinks));

    private static WorkerJobHelp Help => new("Compress a model as a CompressionJob describes (prune, distill, quantize int8/fp16, convert to ONNX) and prove it still matches the original", "on every change", "inputs, every step's model, training checkpoints, probes");

    public static Command Create() => WorkerJobCommand.Create(Kind);

    private static void Say(string line) => AnsiConsole.MarkupLine(Markup.Escape(line));

    private sealed class Attempt(WorkerJobContext<CompressionJob> context, IStatusSink<CompressionJobStatus> sinks) : IWorkerJobAttempt
    {
        // Steps take seconds to minutes: every change is written at once, no throttling needed.
        private readonly StatusReporter<CompressionJobStatus> _status = new(sinks, interval: null);

        public async Task<int> RunAsync(CancellationToken cancellationToken)
        {
            var outcome = await new CompressRun(context, _status, Say).RunAsync(cancellationToken).ConfigureAwait(false);
            return outcome.Aligned
                ? WorkerExitCodes.Succeeded
                : throw new JobFailureException(ConditionReasons.AlignmentFailed, CompressRun.Summary(outcome));
        }

        public void RecordFailure(string message) => _status.Update(s =>
        {
            s.Message = message;
            foreach (var step in s.Steps?.Where(step => step.Phase == StepPhases.Running) ?? [])
            {
                step.Phase = StepPhases.Failed;
                step.Message = message;
                step.CompletionTime = DateTime.UtcNow;
            }
        });
    }
}

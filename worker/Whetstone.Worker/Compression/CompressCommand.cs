using System.CommandLine;
using Spectre.Console;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Worker.Jobs;

namespace Whetstone.Worker.Compression;

/// <summary>
/// <c>whetstone-worker compress</c>: runs a CompressionJob standalone from a task file (<c>--task</c>) or, in a worker
/// pod, the job named by the WHETSTONE_JOB_* environment (<c>--from-cluster</c>). Exit codes: 0 aligned, 1 failed
/// (termination message written; AlignmentFailed after the unaligned model was published).
/// </summary>
internal static class CompressCommand
{
    /// <summary>CompressionJob as a worker job: status (steps, results, artifacts, message, cost) is written on every change.</summary>
    public static WorkerJobKind<CompressionJob, CompressionJobStatus> Kind { get; } = new()
    {
        Kind = Kinds.CompressionJob,
        Plural = Plurals.CompressionJobs,
        Command = "compress",
        Description = "Compress a model as a CompressionJob describes (quantize int8/fp16, convert to ONNX) and prove it still matches the original",
        StatusFileSchedule = "on every change",
        WorkDirectoryContents = "inputs, every step's model, probes",
        WorkerOwnedFields = status => new
        {
            steps = status.Steps,
            results = status.Results,
            artifacts = status.Artifacts,
            message = status.Message,
            cost = status.Cost,
        },
        Interruption = JobInterruption.Fail,
        InterruptedMessage = "stopped before the compression finished",
        StartAttempt = (context, sinks) => new Attempt(context, sinks),
    };

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

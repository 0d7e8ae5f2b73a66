using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Worker.Jobs;
using TrainingProgress = Whetstone.ML.Training.TrainingProgress;

namespace Whetstone.Worker.FineTuning;

/// <summary>
/// <c>whetstone-worker finetune</c> (the shared options are <see cref="WorkerJobCommand"/>'s): trains with a progress
/// bar on the terminal; SIGTERM stops training at a checkpoint and exits 143.
/// </summary>
internal static class FineTuneCommand
{
    private static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(2);

    /// <summary>FineTuneJob as a worker job: status is throttled to one write every 2 s; SIGTERM checkpoints and exits 143.</summary>
    public static WorkerJobKind<FineTuneJob, FineTuneJobStatus> Kind { get; } = new(
        Kinds.FineTuneJob, Plurals.FineTuneJobs, "finetune", Help, ["progress", "metrics", "lossHistory", "dataset", "cost", "artifacts"],
        JobInterruption.Checkpoint("stopped before training started; nothing to checkpoint"), (context, sinks) => new Attempt(context, sinks));

    private static WorkerJobHelp Help => new("Fine-tune a base model as a FineTuneJob describes (LoRA or full), standalone or in a worker pod", "at most every 2 s and once at the end", "model cache, prepared dataset, staged outputs");

    public static Command Create() => WorkerJobCommand.Create(Kind);

    private sealed class Attempt(WorkerJobContext<FineTuneJob> context, IStatusSink<FineTuneJobStatus> sinks) : IWorkerJobAttempt
    {
        public async Task<int> RunAsync(CancellationToken cancellationToken)
        {
            await using var status = new StatusReporter<FineTuneJobStatus>(sinks, StatusInterval);
            status.Start();
            try
            {
                var outcome = await RunWithProgressAsync(status, cancellationToken).ConfigureAwait(false);
                return outcome == FineTuneOutcome.Interrupted ? WorkerExitCodes.Interrupted : WorkerExitCodes.Succeeded;
            }
            finally
            {
                await status.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        private async Task<FineTuneOutcome> RunWithProgressAsync(StatusReporter<FineTuneJobStatus> status, CancellationToken cancellationToken)
        {
            static void Say(string line) => AnsiConsole.MarkupLine(Markup.Escape(line));
            var outcome = FineTuneOutcome.Succeeded;
            // A line every interval for pod logs, where the bar below prints only at 25/50/75 %.
            using var timed = new TimedProgressLog(ProgressInterval(), TimeProvider.System, Say);
            await AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async progressContext =>
                {
                    var bar = progressContext.AddTask("preparing", maxValue: 1);
                    var progress = new ConsoleProgress(value =>
                    {
                        timed.Report(value);
                        bar.MaxValue = Math.Max(1, value.TotalSteps);
                        bar.Value = value.Step;
                        bar.Description = string.Create(CultureInfo.InvariantCulture,
                            $"training step {value.Step}/{value.TotalSteps} loss {value.TrainLoss:F4} val {(value.ValidationLoss is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "-")}");
                    });
                    outcome = await new FineTuneRun(context, status, progress, Say).RunAsync(cancellationToken).ConfigureAwait(false);
                    timed.Dispose();
                    bar.Description = outcome == FineTuneOutcome.Succeeded ? "done" : "interrupted (checkpoint written)";
                    bar.StopTask();
                }).ConfigureAwait(false);
            return outcome;
        }
    }

    private static TimeSpan ProgressInterval()
    {
        try
        {
            return TimedProgressLog.IntervalFrom(Environment.GetEnvironmentVariable(TimedProgressLog.IntervalVariable));
        }
        catch (ArgumentException error)
        {
            throw new JobFailureException(ConditionReasons.WorkerFailed, error.Message, error);
        }
    }

    private sealed class ConsoleProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}

using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using k8s;
using Spectre.Console;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Api.Workers;
using Whetstone.Worker.Jobs;
using TrainingProgress = Whetstone.ML.Training.TrainingProgress;

namespace Whetstone.Worker.FineTuning;

/// <summary>
/// <c>whetstone-worker finetune</c>: runs a FineTuneJob standalone from a task file (<c>--task</c>) or, in a worker
/// pod, the job named by the WHETSTONE_JOB_* environment (<c>--from-cluster</c>). Exit codes: 0 succeeded,
/// 1 failed (termination message written), 143 stopped by SIGTERM after a checkpoint.
/// </summary>
internal static class FineTuneCommand
{
    public const int InterruptedExitCode = 143;
    private static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(2);

    public static Command Create()
    {
        var task = new Option<string?>("--task") { Description = "FineTuneJob manifest (YAML or JSON) to run standalone; relative file: URIs resolve against its folder" };
        var statusFile = new Option<string?>("--status-file") { Description = "Write the worker-owned status (FineTuneJobStatus JSON) here, at most every 2 s and once at the end" };
        var workDir = new Option<string?>("--work-dir") { Description = "Local scratch folder (model cache, prepared dataset, staged outputs); default: a folder under the temp directory" };
        var fromCluster = new Option<bool>("--from-cluster") { Description = "Read the FineTuneJob named by WHETSTONE_JOB_NAMESPACE/WHETSTONE_JOB_NAME from the API server and patch its status" };
        var command = new Command("finetune", "Fine-tune a base model as a FineTuneJob describes (LoRA or full), standalone or in a worker pod")
        {
            task, statusFile, workDir, fromCluster,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(task), parse.GetValue(statusFile), parse.GetValue(workDir), parse.GetValue(fromCluster), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string? taskPath, string? statusFile, string? workDir, bool fromCluster, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            // Let training finish its step and checkpoint; the process exits with 143 afterwards.
            signal.Cancel = true;
            stop.Cancel();
        });
        try
        {
            if (fromCluster == (taskPath is not null))
            {
                throw new FineTuneFailureException(ConditionReasons.WorkerFailed, "give exactly one of --task <file> or --from-cluster");
            }

            var sinks = new List<IStatusSink>();
            if (statusFile is not null)
            {
                sinks.Add(new StatusFileSink(statusFile));
            }

            FineTuneContext context;
            IKubernetes? client = null;
            try
            {
                if (fromCluster)
                {
                    (context, client) = await LoadFromClusterAsync(workDir, stop.Token).ConfigureAwait(false);
                    sinks.Add(new ClusterStatusSink(client, context.Job.Metadata.NamespaceProperty, context.Job.Metadata.Name));
                }
                else
                {
                    var full = Path.GetFullPath(taskPath!);
                    var job = FineTuneTaskFile.Load(full);
                    var uid = job.Metadata.Uid ?? job.Metadata.Name ?? "finetune";
                    context = new FineTuneContext(job, uid, Path.GetFullPath(workDir ?? Path.Combine(Path.GetTempPath(), "whetstone-finetune", uid)), Path.GetDirectoryName(full));
                }

                Directory.CreateDirectory(context.WorkDirectory);
                await using var status = new StatusReporter(sinks, StatusInterval);
                status.Start();
                try
                {
                    var outcome = await RunWithProgressAsync(context, status, stop.Token).ConfigureAwait(false);
                    return outcome == FineTuneOutcome.Interrupted ? InterruptedExitCode : 0;
                }
                finally
                {
                    await status.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
            finally
            {
                client?.Dispose();
            }
        }
        catch (FineTuneFailureException failure)
        {
            return Fail(failure.Reason, failure.Message);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Console.Error.WriteLine("finetune: stopped before training started; nothing to checkpoint");
            return InterruptedExitCode;
        }
        catch (Exception error)
        {
            // Unexpected: keep the stack trace on stderr for whoever debugs it, and a one-line reason for the operator.
            Console.Error.WriteLine(error);
            return Fail(ConditionReasons.WorkerFailed, $"{error.GetType().Name}: {error.Message}");
        }
    }

    private static int Fail(string reason, string message)
    {
        TerminationMessageFile.Write(new WorkerTerminationMessage { Reason = reason, Message = message });
        Console.Error.WriteLine($"finetune failed ({reason}): {message}");
        return 1;
    }

    private static async Task<FineTuneOutcome> RunWithProgressAsync(FineTuneContext context, StatusReporter status, CancellationToken cancellationToken)
    {
        void Say(string line) => AnsiConsole.MarkupLine(Markup.Escape(line));
        Say($"finetune {context.Job.Metadata.Name} (uid {context.JobUid}), work dir {context.WorkDirectory}");
        FineTuneOutcome outcome = FineTuneOutcome.Succeeded;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async progressContext =>
            {
                var bar = progressContext.AddTask("preparing", maxValue: 1);
                var progress = new ConsoleProgress(value =>
                {
                    bar.MaxValue = Math.Max(1, value.TotalSteps);
                    bar.Value = value.Step;
                    bar.Description = string.Create(CultureInfo.InvariantCulture,
                        $"training step {value.Step}/{value.TotalSteps} loss {value.TrainLoss:F4} val {(value.ValidationLoss is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "-")}");
                });
                outcome = await new FineTuneRun(context, status, progress, Say).RunAsync(cancellationToken).ConfigureAwait(false);
                bar.Description = outcome == FineTuneOutcome.Succeeded ? "done" : "interrupted (checkpoint written)";
                bar.StopTask();
            }).ConfigureAwait(false);
        return outcome;
    }

    private static async Task<(FineTuneContext Context, IKubernetes Client)> LoadFromClusterAsync(string? workDir, CancellationToken cancellationToken)
    {
        string Require(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new FineTuneFailureException(ConditionReasons.WorkerFailed, $"--from-cluster needs the environment variable {name}");
        var jobNamespace = Require(WorkerEnvironmentVariables.JobNamespace);
        var jobName = Require(WorkerEnvironmentVariables.JobName);
        var kubeconfig = Environment.GetEnvironmentVariable("KUBECONFIG");
        var configuration = string.IsNullOrEmpty(kubeconfig)
            ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
        var client = new Kubernetes(configuration);
        FineTuneJob job;
        try
        {
            var body = await client.CustomObjects.GetNamespacedCustomObjectAsync(WhetstoneApi.Group, WhetstoneApi.Version, jobNamespace, Plurals.FineTuneJobs, jobName, cancellationToken).ConfigureAwait(false);
            job = KubernetesJson.Deserialize<FineTuneJob>(body is JsonElement element ? element.GetRawText() : KubernetesJson.Serialize(body));
        }
        catch (k8s.Autorest.HttpOperationException error)
        {
            client.Dispose();
            throw new FineTuneFailureException(ConditionReasons.WorkerFailed, $"cannot read FineTuneJob {jobNamespace}/{jobName}: {error.Response?.StatusCode} {error.Message}", error);
        }

        var uid = Environment.GetEnvironmentVariable(WorkerEnvironmentVariables.JobUid) is { Length: > 0 } fromEnvironment ? fromEnvironment : job.Metadata.Uid;
        var attempt = Environment.GetEnvironmentVariable(WorkerEnvironmentVariables.Attempt) ?? "1";
        AnsiConsole.MarkupLine(Markup.Escape($"FineTuneJob {jobNamespace}/{jobName} attempt {attempt}, generation {job.Metadata.Generation}"));
        if (Environment.GetEnvironmentVariable(WorkerEnvironmentVariables.Generation) is { Length: > 0 } startedFor && startedFor != job.Metadata.Generation?.ToString(CultureInfo.InvariantCulture))
        {
            // The spec changed between the pod's creation and this read: the operator replaces this attempt; until
            // then its outputs are labelled with the generation whose spec it actually runs.
            AnsiConsole.MarkupLine(Markup.Escape($"this attempt was started for generation {startedFor}; the job is now at generation {job.Metadata.Generation}"));
        }

        var work = Path.GetFullPath(workDir ?? Path.Combine(Path.GetTempPath(), "whetstone-finetune", uid));
        return (new FineTuneContext(job, uid, work, null, client), client);
    }

    private sealed class ConsoleProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}

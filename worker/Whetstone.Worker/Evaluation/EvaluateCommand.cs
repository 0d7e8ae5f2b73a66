using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using k8s;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Api.Workers;
using Whetstone.Worker.Jobs;

namespace Whetstone.Worker.Evaluation;

/// <summary>
/// <c>whetstone-worker evaluate</c>: runs an EvaluationRun standalone from a task file (<c>--task</c>) or, in a worker
/// pod, the run named by the WHETSTONE_JOB_* environment (<c>--from-cluster</c>). Exit codes: 0 evaluated (whatever
/// the verdict; a failed gate is a verdict, not an error), 1 failed (termination message with a ConditionReason).
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var task = new Option<string?>("--task") { Description = "EvaluationRun manifest (YAML or JSON) to run standalone; relative file: URIs resolve against its folder" };
        var statusFile = new Option<string?>("--status-file") { Description = "Write the worker-owned status (EvaluationRunStatus JSON) here at the end" };
        var workDir = new Option<string?>("--work-dir") { Description = "Local scratch folder (model cache, downloads; the report when spec.output is omitted)" };
        var fromCluster = new Option<bool>("--from-cluster") { Description = "Read the EvaluationRun named by WHETSTONE_JOB_NAMESPACE/WHETSTONE_JOB_NAME from the API server and patch its status" };
        var command = new Command("evaluate", "Score a model against a baseline as an EvaluationRun describes: suites, contamination check, gates, report")
        {
            task, statusFile, workDir, fromCluster,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(task), parse.GetValue(statusFile), parse.GetValue(workDir), parse.GetValue(fromCluster), cancellationToken));
        command.Subcommands.Add(GeneralBenchmarkCommand.Create());
        return command;
    }

    private static async Task<int> RunAsync(string? taskPath, string? statusFile, string? workDir, bool fromCluster, CancellationToken cancellationToken)
    {
        var sinks = new List<IEvaluationStatusSink>();
        if (statusFile is not null)
        {
            sinks.Add(new EvaluationStatusFileSink(statusFile));
        }

        IKubernetes? client = null;
        try
        {
            if (fromCluster == (taskPath is not null))
            {
                throw new EvaluationFailureException(ConditionReasons.WorkerFailed, "give exactly one of --task <file> or --from-cluster");
            }

            EvaluationContext context;
            if (fromCluster)
            {
                (context, client) = await LoadFromClusterAsync(workDir, cancellationToken).ConfigureAwait(false);
                sinks.Add(new EvaluationClusterStatusSink(client, context.Run.Metadata.NamespaceProperty ?? "default", context.Run.Metadata.Name));
            }
            else
            {
                var full = Path.GetFullPath(taskPath!);
                var run = EvaluationTaskFile.Load(full);
                var uid = run.Metadata.Uid ?? run.Metadata.Name ?? "evaluate";
                context = new EvaluationContext(run, uid, Path.GetFullPath(workDir ?? Path.Combine(Path.GetTempPath(), "whetstone-evaluate", uid)), Path.GetDirectoryName(full));
            }

            Directory.CreateDirectory(context.WorkDirectory);
            Console.WriteLine($"evaluate {context.Run.Metadata.Name} (uid {context.Uid}), work dir {context.WorkDirectory}");
            try
            {
                var status = await new EvaluationRunner(context, Console.WriteLine).RunAsync(cancellationToken).ConfigureAwait(false);
                await WriteAsync(sinks, status, cancellationToken).ConfigureAwait(false);
                return 0;
            }
            catch (ContaminatedException contaminated)
            {
                await WriteAsync(sinks, contaminated.Status, cancellationToken).ConfigureAwait(false);
                return Fail(contaminated.Reason, contaminated.Message);
            }
        }
        catch (EvaluationFailureException failure)
        {
            return Fail(failure.Reason, failure.Message);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            Console.Error.WriteLine(error);
            return Fail(ConditionReasons.WorkerFailed, $"{error.GetType().Name}: {error.Message}");
        }
        finally
        {
            client?.Dispose();
        }
    }

    private static async Task WriteAsync(List<IEvaluationStatusSink> sinks, EvaluationRunStatus status, CancellationToken cancellationToken)
    {
        foreach (var sink in sinks)
        {
            await sink.WriteAsync(status, cancellationToken).ConfigureAwait(false);
        }
    }

    private static int Fail(string reason, string message)
    {
        TerminationMessageFile.Write(new WorkerTerminationMessage { Reason = reason, Message = message });
        Console.Error.WriteLine($"evaluate failed ({reason}): {message}");
        return 1;
    }

    private static async Task<(EvaluationContext Context, IKubernetes Client)> LoadFromClusterAsync(string? workDir, CancellationToken cancellationToken)
    {
        string Require(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new EvaluationFailureException(ConditionReasons.WorkerFailed, $"--from-cluster needs the environment variable {name}");
        var runNamespace = Require(WorkerEnvironmentVariables.JobNamespace);
        var runName = Require(WorkerEnvironmentVariables.JobName);
        var kubeconfig = Environment.GetEnvironmentVariable("KUBECONFIG");
        var configuration = string.IsNullOrEmpty(kubeconfig)
            ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
        var client = new Kubernetes(configuration);
        EvaluationRun run;
        try
        {
            var body = await client.CustomObjects.GetNamespacedCustomObjectAsync(WhetstoneApi.Group, WhetstoneApi.Version, runNamespace, Plurals.EvaluationRuns, runName, cancellationToken).ConfigureAwait(false);
            run = KubernetesJson.Deserialize<EvaluationRun>(body is JsonElement element ? element.GetRawText() : KubernetesJson.Serialize(body));
        }
        catch (k8s.Autorest.HttpOperationException error)
        {
            client.Dispose();
            throw new EvaluationFailureException(ConditionReasons.WorkerFailed, $"cannot read EvaluationRun {runNamespace}/{runName}: {error.Response?.StatusCode} {error.Message}", error);
        }

        var uid = Environment.GetEnvironmentVariable(WorkerEnvironmentVariables.JobUid) is { Length: > 0 } fromEnvironment ? fromEnvironment : run.Metadata.Uid;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"EvaluationRun {runNamespace}/{runName} attempt {Environment.GetEnvironmentVariable(WorkerEnvironmentVariables.Attempt) ?? "1"}, generation {run.Metadata.Generation}"));
        var work = Path.GetFullPath(workDir ?? Path.Combine(Path.GetTempPath(), "whetstone-evaluate", uid));
        return (new EvaluationContext(run, uid, work, null, client), client);
    }
}

using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using k8s;
using Spectre.Console;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Api.Workers;
using Whetstone.Worker.Jobs;

namespace Whetstone.Worker.Compression;

/// <summary>
/// <c>whetstone-worker compress</c>: runs a CompressionJob standalone from a task file (<c>--task</c>) or, in a worker
/// pod, the job named by the WHETSTONE_JOB_* environment (<c>--from-cluster</c>). Exit codes: 0 aligned, 1 failed
/// (termination message written; AlignmentFailed after the unaligned model was published).
/// </summary>
internal static class CompressCommand
{
    public static Command Create()
    {
        var task = new Option<string?>("--task") { Description = "CompressionJob manifest (YAML or JSON) to run standalone; relative file: URIs resolve against its folder" };
        var statusFile = new Option<string?>("--status-file") { Description = "Write the worker-owned status (CompressionJobStatus JSON) here on every change" };
        var workDir = new Option<string?>("--work-dir") { Description = "Local scratch folder (inputs, every step's model, probes); default: a folder under the temp directory" };
        var fromCluster = new Option<bool>("--from-cluster") { Description = "Read the CompressionJob named by WHETSTONE_JOB_NAMESPACE/WHETSTONE_JOB_NAME from the API server and patch its status" };
        var command = new Command("compress", "Compress a model as a CompressionJob describes (quantize int8/fp16, convert to ONNX) and prove it still matches the original")
        {
            task, statusFile, workDir, fromCluster,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(task), parse.GetValue(statusFile), parse.GetValue(workDir), parse.GetValue(fromCluster), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string? taskPath, string? statusFile, string? workDir, bool fromCluster, CancellationToken cancellationToken)
    {
        IKubernetes? client = null;
        CompressionStatus? status = null;
        try
        {
            if (fromCluster == (taskPath is not null))
            {
                throw new CompressionFailureException(ConditionReasons.WorkerFailed, "give exactly one of --task <file> or --from-cluster");
            }

            var sinks = new List<ICompressionStatusSink>();
            if (statusFile is not null)
            {
                sinks.Add(new CompressionStatusFileSink(statusFile));
            }

            CompressContext context;
            if (fromCluster)
            {
                (context, client) = await LoadFromClusterAsync(workDir, cancellationToken).ConfigureAwait(false);
                sinks.Add(new CompressionClusterStatusSink(client, context.Job.Metadata.NamespaceProperty, context.Job.Metadata.Name));
            }
            else
            {
                var full = Path.GetFullPath(taskPath!);
                var job = CompressTaskFile.Load(full);
                var uid = job.Metadata.Uid ?? job.Metadata.Name ?? "compress";
                context = new CompressContext(job, uid, Path.GetFullPath(workDir ?? Path.Combine(Path.GetTempPath(), "whetstone-compress", uid)), Path.GetDirectoryName(full));
            }

            Directory.CreateDirectory(context.WorkDirectory);
            status = new CompressionStatus(sinks);
            Say($"compress {context.Job.Metadata.Name} (uid {context.JobUid}), work dir {context.WorkDirectory}");
            var outcome = await new CompressRun(context, status, Say).RunAsync(cancellationToken).ConfigureAwait(false);
            if (!outcome.Aligned)
            {
                return Fail(ConditionReasons.AlignmentFailed, CompressRun.Summary(outcome), status);
            }

            return 0;
        }
        catch (CompressionFailureException failure)
        {
            return Fail(failure.Reason, failure.Message, status);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Fail(ConditionReasons.WorkerFailed, "stopped before the compression finished", status);
        }
        catch (Exception error)
        {
            Console.Error.WriteLine(error);
            return Fail(ConditionReasons.WorkerFailed, $"{error.GetType().Name}: {error.Message}", status);
        }
        finally
        {
            client?.Dispose();
        }
    }

    private static void Say(string line) => AnsiConsole.MarkupLine(Markup.Escape(line));

    private static int Fail(string reason, string message, CompressionStatus? status)
    {
        status?.Update(s =>
        {
            s.Message = message;
            foreach (var step in s.Steps?.Where(step => step.Phase == StepPhases.Running) ?? [])
            {
                step.Phase = StepPhases.Failed;
                step.Message = message;
                step.CompletionTime = DateTime.UtcNow;
            }
        });
        TerminationMessageFile.Write(new WorkerTerminationMessage { Reason = reason, Message = message });
        Console.Error.WriteLine($"compress failed ({reason}): {message}");
        return 1;
    }

    private static async Task<(CompressContext Context, IKubernetes Client)> LoadFromClusterAsync(string? workDir, CancellationToken cancellationToken)
    {
        string Require(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new CompressionFailureException(ConditionReasons.WorkerFailed, $"--from-cluster needs the environment variable {name}");
        var jobNamespace = Require(WorkerEnvironmentVariables.JobNamespace);
        var jobName = Require(WorkerEnvironmentVariables.JobName);
        var kubeconfig = Environment.GetEnvironmentVariable("KUBECONFIG");
        var configuration = string.IsNullOrEmpty(kubeconfig)
            ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
        var client = new Kubernetes(configuration);
        CompressionJob job;
        try
        {
            var body = await client.CustomObjects.GetNamespacedCustomObjectAsync(WhetstoneApi.Group, WhetstoneApi.Version, jobNamespace, Plurals.CompressionJobs, jobName, cancellationToken).ConfigureAwait(false);
            job = KubernetesJson.Deserialize<CompressionJob>(body is JsonElement element ? element.GetRawText() : KubernetesJson.Serialize(body));
        }
        catch (k8s.Autorest.HttpOperationException error)
        {
            client.Dispose();
            throw new CompressionFailureException(ConditionReasons.WorkerFailed, $"cannot read CompressionJob {jobNamespace}/{jobName}: {error.Response?.StatusCode} {error.Message}", error);
        }

        var uid = Environment.GetEnvironmentVariable(WorkerEnvironmentVariables.JobUid) is { Length: > 0 } fromEnvironment ? fromEnvironment : job.Metadata.Uid;
        Say($"CompressionJob {jobNamespace}/{jobName} attempt {Environment.GetEnvironmentVariable(WorkerEnvironmentVariables.Attempt) ?? "1"}, generation {job.Metadata.Generation?.ToString(CultureInfo.InvariantCulture)}");
        var work = Path.GetFullPath(workDir ?? Path.Combine(Path.GetTempPath(), "whetstone-compress", uid));
        return (new CompressContext(job, uid, work, null, client), client);
    }
}

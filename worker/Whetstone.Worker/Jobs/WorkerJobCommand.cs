using System.CommandLine;
using System.Runtime.InteropServices;
using k8s;
using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.Workers;

namespace Whetstone.Worker.Jobs;

/// <summary>
/// The command line every worker job kind shares: <c>--task</c> (standalone from a manifest) or
/// <c>--from-cluster</c> (in a worker pod), <c>--status-file</c>, <c>--work-dir</c>; the status sinks; what SIGTERM
/// means; the exit codes (<see cref="WorkerExitCodes"/>) and the termination message of a failure (a write that ran out
/// of room is <c>StorageFull</c>, <see cref="StorageFullFailure"/>).
/// </summary>
internal static class WorkerJobCommand
{
    /// <summary>The subcommand of <paramref name="kind"/>.</summary>
    public static Command Create<TJob, TStatus>(WorkerJobKind<TJob, TStatus> kind)
        where TJob : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(kind);
        var task = new Option<string?>("--task") { Description = $"{kind.Kind} manifest (YAML or JSON) to run standalone; relative file: URIs resolve against its folder" };
        var statusFile = new Option<string?>("--status-file") { Description = $"Write the worker-owned status ({kind.Kind}Status JSON) here {kind.Help.StatusFileSchedule}" };
        var workDir = new Option<string?>("--work-dir") { Description = $"Local scratch folder ({kind.Help.WorkDirectoryContents}); default: a folder under the temp directory" };
        var fromCluster = new Option<bool>("--from-cluster") { Description = $"Read the {kind.Kind} named by WHETSTONE_JOB_NAMESPACE/WHETSTONE_JOB_NAME from the API server and patch its status" };
        var command = new Command(kind.Command, kind.Help.Description)
        {
            task, statusFile, workDir, fromCluster,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(kind, parse.GetValue(task), parse.GetValue(statusFile), parse.GetValue(workDir), parse.GetValue(fromCluster), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync<TJob, TStatus>(WorkerJobKind<TJob, TStatus> kind, string? taskPath, string? statusFile, string? workDir, bool fromCluster, CancellationToken cancellationToken)
        where TJob : IKubernetesObject<V1ObjectMeta>
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigterm = kind.Interruption.Response == InterruptionResponse.Checkpoint
            ? PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
            {
                // Let the work reach a checkpoint; the process exits with 143 afterwards.
                signal.Cancel = true;
                stop.Cancel();
            })
            : null;
        IWorkerJobAttempt? attempt = null;
        IKubernetes? client = null;
        try
        {
            if (fromCluster == (taskPath is not null))
            {
                throw new JobFailureException(ConditionReasons.WorkerFailed, "give exactly one of --task <file> or --from-cluster");
            }

            var sinks = new List<IStatusSink<TStatus>>();
            if (statusFile is not null)
            {
                sinks.Add(new StatusFileSink<TStatus>(statusFile));
            }

            WorkerJobContext<TJob> context;
            if (fromCluster)
            {
                context = await WorkerJobLoader.FromClusterAsync(kind, workDir, Console.WriteLine, stop.Token).ConfigureAwait(false);
                client = context.Cluster!;
                sinks.Add(new ClusterStatusSink<TStatus>(client, kind.Plural, kind.WorkerOwnedFields, context.Namespace, context.Job.Metadata.Name));
            }
            else
            {
                context = WorkerJobLoader.FromTaskFile(kind, taskPath!, workDir);
            }

            Directory.CreateDirectory(context.WorkDirectory);
            Console.WriteLine($"{kind.Command} {context.Job.Metadata.Name} (uid {context.JobUid}), work dir {context.WorkDirectory}");
            attempt = kind.StartAttempt(context, new StatusSinks<TStatus>(sinks));
            return await attempt.RunAsync(stop.Token).ConfigureAwait(false);
        }
        catch (JobFailureException failure)
        {
            // A write that ran out of room is StorageFull whichever step caught it first (store errors, for example).
            var said = StorageFullFailure.From(failure) ?? failure;
            return Fail(kind.Command, attempt, said.Reason, said.Message);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && kind.Interruption.Response == InterruptionResponse.Checkpoint)
        {
            Console.Error.WriteLine($"{kind.Command}: {kind.Interruption.Message}");
            return WorkerExitCodes.Interrupted;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && kind.Interruption.Response == InterruptionResponse.Fail)
        {
            return Fail(kind.Command, attempt, ConditionReasons.WorkerFailed, kind.Interruption.Message);
        }
        catch (Exception error) when (StorageFullFailure.From(error) is { } full)
        {
            return Fail(kind.Command, attempt, full.Reason, full.Message);
        }
        catch (Exception error) when (error is not OperationCanceledException || kind.Interruption.Response != InterruptionResponse.Propagate)
        {
            // Unexpected: keep the stack trace on stderr for whoever debugs it, and a one-line reason for the operator.
            Console.Error.WriteLine(error);
            return Fail(kind.Command, attempt, ConditionReasons.WorkerFailed, $"{error.GetType().Name}: {error.Message}");
        }
        finally
        {
            client?.Dispose();
        }
    }

    private static int Fail(string command, IWorkerJobAttempt? attempt, string reason, string message)
    {
        attempt?.RecordFailure(message);
        TerminationMessageFile.Write(new WorkerTerminationMessage { Reason = reason, Message = message });
        Console.Error.WriteLine($"{command} failed ({reason}): {message}");
        return WorkerExitCodes.Failed;
    }
}

using System.Globalization;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.Workers;

namespace Whetstone.Worker.Jobs;

/// <summary>
/// Builds an attempt's <see cref="WorkerJobContext{TJob}"/>: standalone from a task file, or in a pod from the object
/// named by the <c>WHETSTONE_JOB_*</c> environment. The default work folder is
/// <c>&lt;temp&gt;/whetstone-&lt;command&gt;/&lt;uid&gt;</c>.
/// </summary>
internal static class WorkerJobLoader
{
    /// <summary>The job of the task file at <paramref name="taskPath"/>; relative <c>file:</c> URIs resolve against its folder.</summary>
    public static WorkerJobContext<TJob> FromTaskFile<TJob, TStatus>(WorkerJobKind<TJob, TStatus> kind, string taskPath, string? workDir)
        where TJob : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(kind);
        var full = Path.GetFullPath(taskPath);
        var job = WorkerTaskFile.Load<TJob>(full, kind.Kind);
        var uid = job.Metadata.Uid ?? job.Metadata.Name ?? kind.Command;
        return new WorkerJobContext<TJob>(job, uid, WorkDirectoryOf(kind.Command, workDir, uid), Path.GetDirectoryName(full));
    }

    /// <summary>
    /// The job named by <c>WHETSTONE_JOB_NAMESPACE</c>/<c>WHETSTONE_JOB_NAME</c>, read with the in-cluster
    /// configuration (or <c>KUBECONFIG</c>); the context owns the client.
    /// </summary>
    public static async Task<WorkerJobContext<TJob>> FromClusterAsync<TJob, TStatus>(WorkerJobKind<TJob, TStatus> kind, string? workDir, Action<string> say, CancellationToken cancellationToken)
        where TJob : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(say);
        var jobNamespace = RequireEnvironment(WorkerEnvironmentVariables.JobNamespace);
        var jobName = RequireEnvironment(WorkerEnvironmentVariables.JobName);
        var kubeconfig = Environment.GetEnvironmentVariable("KUBECONFIG");
        var configuration = string.IsNullOrEmpty(kubeconfig)
            ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
        var client = new Kubernetes(configuration);
        TJob job;
        try
        {
            job = await ClusterObjects.GetAsync<TJob>(client, jobNamespace, kind.Plural, jobName, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException error)
        {
            client.Dispose();
            throw new JobFailureException(ConditionReasons.WorkerFailed, $"cannot read {kind.Kind} {jobNamespace}/{jobName}: {error.Response?.StatusCode} {error.Message}", error);
        }

        var uid = Environment.GetEnvironmentVariable(WorkerEnvironmentVariables.JobUid) is { Length: > 0 } fromEnvironment ? fromEnvironment : job.Metadata.Uid;
        var attempt = Environment.GetEnvironmentVariable(WorkerEnvironmentVariables.Attempt) ?? "1";
        var generation = job.Metadata.Generation?.ToString(CultureInfo.InvariantCulture);
        say($"{kind.Kind} {jobNamespace}/{jobName} attempt {attempt}, generation {generation}");
        if (Environment.GetEnvironmentVariable(WorkerEnvironmentVariables.Generation) is { Length: > 0 } startedFor && startedFor != generation)
        {
            // The spec changed between the pod's creation and this read: the operator replaces this attempt; until
            // then its outputs are labelled with the generation whose spec it actually runs.
            say($"this attempt was started for generation {startedFor}; the {kind.Kind} is now at generation {generation}");
        }

        return new WorkerJobContext<TJob>(job, uid, WorkDirectoryOf(kind.Command, workDir, uid), null, client);
    }

    private static string WorkDirectoryOf(string command, string? workDir, string uid) =>
        Path.GetFullPath(workDir ?? Path.Combine(Path.GetTempPath(), "whetstone-" + command, uid));

    private static string RequireEnvironment(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
        ? value
        : throw new JobFailureException(ConditionReasons.WorkerFailed, $"--from-cluster needs the environment variable {name}");
}

using System.Net;
using k8s.Autorest;
using Whetstone.Api;

namespace Whetstone.Worker.Jobs;

/// <summary>
/// Reads a job that a spec references (<c>fineTuneJobRef</c>, <c>compressionJobRef</c>) from the attempt's namespace
/// and requires it to have succeeded. Every failure names the field; the reasons are the kind's choice.
/// </summary>
internal static class JobReferences
{
    /// <summary>The referenced <paramref name="kind"/> <paramref name="name"/>, which must be Succeeded.</summary>
    public static async Task<T> GetSucceededAsync<T>(IWorkerJobContext context, JobReference reference, Func<T, string?> phaseOf, ReferenceFailureReasons reasons, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(phaseOf);
        ArgumentNullException.ThrowIfNull(reasons);
        var (kind, plural, name, field) = reference;
        if (context.Cluster is not { } client)
        {
            throw new JobFailureException(ConditionReasons.ModelInvalid, $"{field} ({name}): a {kind} reference cannot be resolved without a cluster (standalone --task run); give a uri instead");
        }

        var where = $"{kind} {context.Namespace}/{name}";
        T job;
        try
        {
            job = await ClusterObjects.GetAsync<T>(client, context.Namespace, plural, name, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException error) when (error.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            throw new JobFailureException(reasons.NotFound, $"{field}: {where} does not exist");
        }
        catch (HttpOperationException error)
        {
            throw new JobFailureException(ConditionReasons.WorkerFailed, $"{field}: cannot read {where}: {error.Response?.StatusCode} {error.Message}", error);
        }

        var phase = phaseOf(job);
        if (phase == JobPhases.Failed)
        {
            throw new JobFailureException(reasons.Failed, $"{field}: {where} failed");
        }

        if (phase != JobPhases.Succeeded)
        {
            throw new JobFailureException(reasons.NotReady, $"{field}: {where} has not succeeded (phase {phase ?? "Pending"})");
        }

        return job;
    }
}

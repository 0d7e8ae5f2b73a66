using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using k8s;
using k8s.Models;
using Whetstone.Operator.Configuration;
using Whetstone.Operator.Preflight;

namespace Whetstone.Operator.Workers;

/// <summary>
/// Gathers the preflight verdict of a worker job's generation by running its kind's checks in order, stopping at the
/// first problem. Runs once per generation (<see cref="PreflightCache"/>); the planner decides what the verdict means.
/// </summary>
/// <typeparam name="TJob">The kind.</typeparam>
public sealed class WorkerJobPreflight<TJob>(
    IWorkerJobKind<TJob> kind, ArtifactChecks checks, PreflightCache cache, IOptions<PreflightOptions> options, ILogger<WorkerJobPreflight<TJob>> logger)
    where TJob : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>The verdict for the job's current generation.</summary>
    public Task<PreflightVerdict> CheckAsync(TJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (!options.Value.Enabled)
        {
            return Task.FromResult(PreflightVerdict.Pass($"inputs not checked ({PreflightOptions.Section}:Enabled is false)"));
        }

        var meta = job.Metadata;
        return cache.GetOrCheckAsync(meta.Uid, meta.Generation ?? 0, async () =>
        {
            var verdict = await RunChecksAsync(job, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("{Namespace}/{Name} generation {Generation}: preflight {Outcome}: {Message}",
                meta.NamespaceProperty, meta.Name, meta.Generation, verdict.Outcome, verdict.Message);
            return verdict;
        });
    }

    /// <summary>Forgets a deleted job.</summary>
    public void Forget(TJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        cache.Forget(job.Metadata.Uid);
    }

    private async Task<PreflightVerdict> RunChecksAsync(TJob job, CancellationToken cancellationToken)
    {
        var passed = new List<string>();
        foreach (var check in kind.PreflightChecks(job, checks))
        {
            var verdict = await check(cancellationToken).ConfigureAwait(false);
            if (verdict.Outcome != PreflightOutcome.Passed)
            {
                return verdict;
            }

            passed.Add(verdict.Message);
        }

        return PreflightVerdict.Pass(passed.Count == 0 ? "nothing to check" : "inputs checked: " + string.Join("; ", passed));
    }
}

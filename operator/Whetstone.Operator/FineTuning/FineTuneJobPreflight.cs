using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Configuration;
using Whetstone.Operator.Preflight;

namespace Whetstone.Operator.FineTuning;

/// <summary>
/// Gathers the preflight verdict of a FineTuneJob generation: base model (by URI), dataset and output prefix, in that
/// order, stopping at the first problem. Runs once per generation (<see cref="PreflightCache"/>); the planner decides
/// what the verdict means.
/// </summary>
public sealed class FineTuneJobPreflight(ArtifactChecks checks, PreflightCache cache, IOptions<PreflightOptions> options, ILogger<FineTuneJobPreflight> logger)
{
    /// <summary>The verdict for the job's current generation.</summary>
    public Task<PreflightVerdict> CheckAsync(FineTuneJob job, CancellationToken cancellationToken)
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
    public void Forget(FineTuneJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        cache.Forget(job.Metadata.Uid);
    }

    private async Task<PreflightVerdict> RunChecksAsync(FineTuneJob job, CancellationToken cancellationToken)
    {
        var ns = job.Metadata.NamespaceProperty;
        var spec = job.Spec;
        var passed = new List<string>();
        foreach (var check in new Func<Task<PreflightVerdict>>[]
                 {
                     () => checks.CheckModelAsync(ns, spec.BaseModel, "spec.baseModel", cancellationToken),
                     () => checks.CheckDatasetAsync(ns, spec.Dataset.Uri, spec.Dataset.Digest, "spec.dataset", cancellationToken),
                     () => checks.CheckOutputAsync(ns, spec.Output?.Uri, job.Metadata.Uid, "spec.output.uri", cancellationToken),
                 })
        {
            var verdict = await check().ConfigureAwait(false);
            if (verdict.Outcome != PreflightOutcome.Passed)
            {
                return verdict;
            }

            passed.Add(verdict.Message);
        }

        return PreflightVerdict.Pass("inputs checked: " + string.Join("; ", passed));
    }
}

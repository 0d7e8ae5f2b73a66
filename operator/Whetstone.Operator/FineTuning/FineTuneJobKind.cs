using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Preflight;
using Whetstone.Operator.Sources;
using Whetstone.Operator.Workers;

namespace Whetstone.Operator.FineTuning;

/// <summary>What FineTuneJob contributes to the shared worker-job lifecycle.</summary>
public sealed class FineTuneJobKind : IWorkerJobKind<FineTuneJob>
{
    /// <summary>The one description (it holds no state).</summary>
    public static FineTuneJobKind Instance { get; } = new();

    /// <inheritdoc />
    public string Subcommand => "finetune";

    /// <inheritdoc />
    /// <remarks>Bad data, a bad model, a diverging loss or a pinned digest that does not match repeat on every retry.</remarks>
    public IReadOnlySet<string> PermanentFailureReasons { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        ConditionReasons.Diverged, ConditionReasons.DatasetInvalid, ConditionReasons.ModelInvalid, ConditionReasons.DigestMismatch,
    };

    /// <inheritdoc />
    public string SuccessMessage => "the fine-tune finished";

    /// <inheritdoc />
    public IReadOnlyList<JobReference> References(FineTuneJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return ModelSourceReferences.Of(job.Spec.BaseModel, "spec.baseModel");
    }

    /// <inheritdoc />
    /// <remarks>Base model (by URI), dataset and output prefix, in that order.</remarks>
    public IReadOnlyList<Func<CancellationToken, Task<PreflightVerdict>>> PreflightChecks(FineTuneJob job, ArtifactChecks checks)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(checks);
        var ns = job.Metadata.NamespaceProperty;
        var spec = job.Spec;
        return
        [
            ct => checks.CheckModelAsync(ns, spec.BaseModel, "spec.baseModel", ct),
            ct => checks.CheckDatasetAsync(ns, spec.Dataset.Uri, spec.Dataset.Digest, "spec.dataset", ct),
            ct => checks.CheckOutputAsync(ns, spec.Output?.Uri, job.Metadata.Uid, "spec.output.uri", ct),
        ];
    }
}

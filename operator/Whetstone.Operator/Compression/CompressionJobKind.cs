using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Preflight;
using Whetstone.Operator.Sources;
using Whetstone.Operator.Workers;

namespace Whetstone.Operator.Compression;

/// <summary>What CompressionJob contributes to the shared worker-job lifecycle.</summary>
public sealed class CompressionJobKind : IWorkerJobKind<CompressionJob>
{
    /// <summary>The one description (it holds no state).</summary>
    public static CompressionJobKind Instance { get; } = new();

    /// <inheritdoc />
    public string Subcommand => "compress";

    /// <inheritdoc />
    /// <remarks>
    /// A compressed model that drifted beyond the alignment thresholds drifts the same way on a retry (the steps are
    /// deterministic); a bad model or dataset, a pinned digest that does not match and a diverging distillation repeat too.
    /// </remarks>
    public IReadOnlySet<string> PermanentFailureReasons { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        ConditionReasons.AlignmentFailed, ConditionReasons.ModelInvalid, ConditionReasons.DatasetInvalid, ConditionReasons.DigestMismatch,
        ConditionReasons.Diverged,
    };

    /// <inheritdoc />
    public string SuccessMessage => "the compression finished";

    /// <inheritdoc />
    /// <remarks>With results: <c>3.90× smaller, 2.80× faster, accuracy drop 0.007, cosine 0.9960, aligned</c>.</remarks>
    public string DescribeSuccess(CompressionJob job, string? workerMessage)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.Status?.Results is { } results && CompressionResultsText.Describe(results) is { } text
            ? text
            : workerMessage ?? SuccessMessage;
    }

    /// <inheritdoc />
    public IReadOnlyList<ResultCondition> ResultConditions(CompressionJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Status?.Results is not { Aligned: { } aligned } results)
        {
            return [];
        }

        var figures = CompressionResultsText.Alignment(results);
        return
        [
            aligned
                ? new ResultCondition(ConditionTypes.Aligned, true, ConditionReasons.Succeeded, $"the compressed model stays within the alignment thresholds ({figures})")
                : new ResultCondition(ConditionTypes.Aligned, false, ConditionReasons.AlignmentFailed, $"the compressed model drifted beyond the alignment thresholds ({figures})"),
        ];
    }

    /// <inheritdoc />
    /// <remarks>The source model, every distillation step's dataset and student model, every prune recovery's dataset, the calibration and evaluation data.</remarks>
    public IReadOnlyList<JobReference> References(CompressionJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var spec = job.Spec;
        var references = new List<JobReference>(ModelSourceReferences.Of(spec.SourceModel, "spec.sourceModel"));
        foreach (var (step, index) in spec.Steps.Select((s, i) => (s, i)))
        {
            if (step.Distill is { } distill)
            {
                references.AddRange(ModelSourceReferences.Of(distill.StudentModel, $"spec.steps[{index}].distill.studentModel"));
                references.AddRange(DatasetSourceReferences.Of(distill.Dataset, $"spec.steps[{index}].distill.dataset"));
            }

            references.AddRange(DatasetSourceReferences.Of(step.Prune?.Recovery?.Dataset, $"spec.steps[{index}].prune.recovery.dataset"));
        }

        references.AddRange(DatasetSourceReferences.Of(spec.CalibrationDataset, "spec.calibrationDataset"));
        references.AddRange(DatasetSourceReferences.Of(spec.EvaluationDataset, "spec.evaluationDataset"));
        return references;
    }

    /// <inheritdoc />
    /// <remarks>Source model, distillation students and datasets, calibration and evaluation data (by URI), output prefix, in that order.</remarks>
    public IReadOnlyList<Func<CancellationToken, Task<PreflightVerdict>>> PreflightChecks(CompressionJob job, ArtifactChecks checks)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(checks);
        var ns = job.Metadata.NamespaceProperty;
        var spec = job.Spec;
        var list = new List<Func<CancellationToken, Task<PreflightVerdict>>>
        {
            ct => checks.CheckModelAsync(ns, spec.SourceModel, "spec.sourceModel", ct),
        };
        foreach (var (step, index) in spec.Steps.Select((s, i) => (s.Distill, i)))
        {
            if (step?.StudentModel is { } student)
            {
                list.Add(ct => checks.CheckModelAsync(ns, student, $"spec.steps[{index}].distill.studentModel", ct));
            }

            if (step?.Dataset is { } dataset)
            {
                list.Add(ct => checks.CheckDatasetSourceAsync(ns, dataset, $"spec.steps[{index}].distill.dataset", ct));
            }
        }

        list.Add(ct => checks.CheckDatasetSourceAsync(ns, spec.CalibrationDataset, "spec.calibrationDataset", ct));
        list.Add(ct => checks.CheckDatasetSourceAsync(ns, spec.EvaluationDataset, "spec.evaluationDataset", ct));
        list.Add(ct => checks.CheckOutputAsync(ns, spec.Output?.Uri, job.Metadata.Uid, "spec.output.uri", ct));
        return list;
    }
}

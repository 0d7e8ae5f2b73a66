using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Preflight;
using Whetstone.Operator.Sources;
using Whetstone.Operator.Workers;

namespace Whetstone.Operator.Evaluation;

/// <summary>
/// What EvaluationRun contributes to the shared worker-job lifecycle. A run whose gates fail still Succeeded (it
/// measured what it was asked to) with <c>verdict: Failed</c> and condition GatesPassed False (GatesFailed), as
/// api.md says; only a run that could not measure fails (contaminated test data, an unreadable model or dataset).
/// </summary>
public sealed class EvaluationRunKind : IWorkerJobKind<EvaluationRun>
{
    /// <summary>The one description (it holds no state).</summary>
    public static EvaluationRunKind Instance { get; } = new();

    /// <inheritdoc />
    public string Subcommand => "evaluate";

    /// <inheritdoc />
    /// <remarks>Test data found in the training data, a bad model or dataset and a pinned digest that does not match repeat on every retry.</remarks>
    public IReadOnlySet<string> PermanentFailureReasons { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        ConditionReasons.Contaminated, ConditionReasons.ModelInvalid, ConditionReasons.DatasetInvalid, ConditionReasons.DigestMismatch,
    };

    /// <inheritdoc />
    public string SuccessMessage => "the evaluation finished";

    /// <inheritdoc />
    /// <remarks><c>verdict Passed: 3 of 3 gates passed</c>, or <c>verdict Failed: 1 of 3 gates failed: general/accuracy: …</c>.</remarks>
    public string DescribeSuccess(EvaluationRun run, string? workerMessage)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Status?.Verdict is { } verdict ? EvaluationVerdictText.Describe(verdict, run.Status.Gates) : workerMessage ?? SuccessMessage;
    }

    /// <inheritdoc />
    public IReadOnlyList<ResultCondition> ResultConditions(EvaluationRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Status?.Verdict is not { } verdict)
        {
            return [];
        }

        var passed = verdict == Verdicts.Passed;
        return [new ResultCondition(ConditionTypes.GatesPassed, passed, passed ? ConditionReasons.GatesPassed : ConditionReasons.GatesFailed,
            EvaluationVerdictText.Describe(verdict, run.Status.Gates))];
    }

    /// <inheritdoc />
    /// <remarks>The model, the baseline, every suite's dataset and judge model, and the contamination check's training data.</remarks>
    public IReadOnlyList<JobReference> References(EvaluationRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var spec = run.Spec;
        var references = new List<JobReference>(ModelSourceReferences.Of(spec.Model, "spec.model"));
        references.AddRange(ModelSourceReferences.Of(spec.Baseline, "spec.baseline"));
        foreach (var (suite, index) in spec.Suites.Select((s, i) => (s, i)))
        {
            references.AddRange(DatasetSourceReferences.Of(suite.Dataset, $"spec.suites[{index}].dataset"));
            references.AddRange(ModelSourceReferences.Of(suite.Judge?.JudgeModel, $"spec.suites[{index}].judge.judgeModel"));
        }

        references.AddRange(DatasetSourceReferences.Of(spec.Contamination?.TrainingDataset, "spec.contamination.trainingDataset"));
        return references;
    }

    /// <inheritdoc />
    /// <remarks>Model, baseline, suite datasets and judge models, training data (by URI), output prefix, in that order.</remarks>
    public IReadOnlyList<Func<CancellationToken, Task<PreflightVerdict>>> PreflightChecks(EvaluationRun run, ArtifactChecks checks)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(checks);
        var ns = run.Metadata.NamespaceProperty;
        var spec = run.Spec;
        var list = new List<Func<CancellationToken, Task<PreflightVerdict>>>
        {
            ct => checks.CheckModelAsync(ns, spec.Model, "spec.model", ct),
        };
        if (spec.Baseline is { } baseline)
        {
            list.Add(ct => checks.CheckModelAsync(ns, baseline, "spec.baseline", ct));
        }

        foreach (var (suite, index) in spec.Suites.Select((s, i) => (s, i)))
        {
            list.Add(ct => checks.CheckDatasetSourceAsync(ns, suite.Dataset, $"spec.suites[{index}].dataset", ct));
            if (suite.Judge?.JudgeModel is { } judge)
            {
                list.Add(ct => checks.CheckModelAsync(ns, judge, $"spec.suites[{index}].judge.judgeModel", ct));
            }
        }

        list.Add(ct => checks.CheckDatasetSourceAsync(ns, spec.Contamination?.TrainingDataset, "spec.contamination.trainingDataset", ct));
        list.Add(ct => checks.CheckOutputAsync(ns, spec.Output?.Uri, run.Metadata.Uid, "spec.output.uri", ct));
        return list;
    }
}

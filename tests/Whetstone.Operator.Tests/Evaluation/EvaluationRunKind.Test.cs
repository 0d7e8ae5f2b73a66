using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Evaluation;
using Whetstone.Operator.Tests.Compression;
using Whetstone.Operator.Workers;
using static Whetstone.Operator.Tests.Evaluation.EvaluationRuns;

namespace Whetstone.Operator.Tests.Evaluation;

/// <summary>
/// The EvaluationRun kind through the shared planner: a run whose gates fail Succeeded with verdict Failed (api.md),
/// contamination fails it at once, and every model and dataset reference is waited for.
/// </summary>
public sealed class EvaluationRunKindTest
{
    private static readonly GateResult DomainPassed = new() { Suite = "domain", Metric = "accuracy", Value = 0.86, Threshold = 0.8, Passed = true };

    private static readonly GateResult GeneralFailed = new()
    {
        Suite = "general",
        Metric = "accuracy",
        Value = -0.06,
        Threshold = 0.02,
        Passed = false,
        Message = "general ability regressed by 6 points (allowed 2)",
    };

    [Fact]
    public void Model_baseline_suite_data_judge_and_training_data_references_are_sources_the_run_waits_for()
    {
        var run = New(model: new EvaluationModel { CompressionJobRef = new LocalObjectReference { Name = "support-int8" } });
        run.Spec.Baseline = new EvaluationModel { FineTuneJobRef = new LocalObjectReference { Name = "support-lora" } };
        run.Spec.Suites.Add(new EvaluationSuite
        {
            Name = "subjective",
            Type = SuiteTypes.Subjective,
            Dataset = new DatasetSource { Uri = "file:///data/subjective.jsonl" },
            Judge = new Judge { Type = JudgeTypes.Model, JudgeModel = new ModelSource { FineTuneJobRef = new LocalObjectReference { Name = "judge" } } },
        });
        run.Spec.Suites[0].Dataset = new DatasetSource { FineTuneJobRef = new LocalObjectReference { Name = "support-lora" }, Split = DatasetSplits.Test };
        run.Spec.Contamination = new ContaminationCheck { TrainingDataset = new DatasetSource { FineTuneJobRef = new LocalObjectReference { Name = "support-lora" } } };

        var references = EvaluationRunKind.Instance.References(run);

        Assert.Equal(
        [
            ("spec.model.compressionJobRef", Kinds.CompressionJob, "support-int8"),
            ("spec.baseline.fineTuneJobRef", Kinds.FineTuneJob, "support-lora"),
            ("spec.suites[0].dataset.fineTuneJobRef", Kinds.FineTuneJob, "support-lora"),
            ("spec.suites[1].judge.judgeModel.fineTuneJobRef", Kinds.FineTuneJob, "judge"),
            ("spec.contamination.trainingDataset.fineTuneJobRef", Kinds.FineTuneJob, "support-lora"),
        ], references.Select(r => (r.Field, r.Kind, r.Name)));
        Assert.All(references, r => Assert.Equal(ConditionReasons.WaitingForSource, r.WaitingReason));
        var role = WorkerAccess.Build(run, Plurals.EvaluationRuns, references).Role;
        Assert.Equal(["support-int8"], role.Rules.Single(r => r.Resources.SequenceEqual([Plurals.CompressionJobs])).ResourceNames);
        Assert.Equal(["judge", "support-lora"], role.Rules.Single(r => r.Resources.SequenceEqual([Plurals.FineTuneJobs])).ResourceNames);
    }

    [Fact]
    public void The_first_attempt_runs_the_evaluate_subcommand()
    {
        var plan = Plan(New(), ReferenceState.Resolved);

        Assert.Equal(["evaluate", "--from-cluster"], plan.PodToCreate!.Spec.Containers.Single().Args);
        Assert.Equal("support-eval-evaluationrun-worker", WorkerAccess.Name(Kinds.EvaluationRun, "support-eval"));
    }

    [Fact]
    public void Contaminated_test_data_fails_the_run_at_once_although_retries_are_left()
    {
        var run = New().WithStatus(JobPhases.Running, 1);
        var message = "12 of 200 test records (6.0 %) overlap the training data (maxOverlap 1.0 %); first: test record 3 shares \"reset your password from the account page\"";

        var plan = Plan(run, ReferenceState.Resolved, Pod(run, 1, "Failed", CompressionJobs.Failure(ConditionReasons.Contaminated, message)));

        Assert.Equal(JobPhases.Failed, plan.Status.Phase);
        Assert.Equal("True/Contaminated", plan.Status.Condition(ConditionTypes.Failed));
        Assert.Contains("test record 3", plan.Status.Message);
        Assert.Null(plan.PodToCreate);
    }

    [Fact]
    public void A_run_whose_gate_failed_Succeeded_with_verdict_Failed_and_says_which_gate_and_why()
    {
        var run = New().WithStatus(JobPhases.Running, 1, Verdicts.Failed, [DomainPassed, GeneralFailed]);

        var plan = Plan(run, ReferenceState.Resolved, Pod(run, 1, "Succeeded"));

        Assert.Equal(JobPhases.Succeeded, plan.Status.Phase);
        Assert.Equal(Verdicts.Failed, plan.Status.Verdict);
        Assert.Equal("False/GatesFailed", plan.Status.Condition(ConditionTypes.GatesPassed));
        Assert.Equal("verdict Failed: 1 of 2 gates failed: general/accuracy (general ability regressed by 6 points (allowed 2))", plan.Status.Message);
    }

    [Fact]
    public void A_run_whose_gates_all_passed_is_GatesPassed()
    {
        var run = New().WithStatus(JobPhases.Running, 1, Verdicts.Passed, [DomainPassed]);

        var plan = Plan(run, ReferenceState.Resolved, Pod(run, 1, "Succeeded"));

        Assert.Equal("True/GatesPassed", plan.Status.Condition(ConditionTypes.GatesPassed));
        Assert.Equal("verdict Passed: 1 of 1 gates passed", plan.Status.Message);
    }

    [Fact]
    public void A_run_without_a_verdict_yet_has_no_gate_condition_and_the_workers_own_message()
    {
        var run = New().WithStatus(JobPhases.Running, 1);

        var plan = Plan(run, ReferenceState.Resolved, Pod(run, 1, "Succeeded", """{"message":"4 suites scored"}"""));

        Assert.Null(plan.Status.Condition(ConditionTypes.GatesPassed));
        Assert.Equal("4 suites scored", plan.Status.Message);
    }

    [Fact]
    public void A_failed_referenced_job_fails_the_run_with_ReferenceFailed()
    {
        var failed = new ReferenceState(false, true, ConditionReasons.ReferenceFailed, "spec.model.compressionJobRef: CompressionJob support-int8 failed (AlignmentFailed: cosine 0.82)");

        var plan = Plan(New(), failed);

        Assert.Equal(JobPhases.Failed, plan.Status.Phase);
        Assert.Equal("True/ReferenceFailed", plan.Status.Condition(ConditionTypes.Failed));
        Assert.Contains("AlignmentFailed", plan.Status.Message);
    }
}

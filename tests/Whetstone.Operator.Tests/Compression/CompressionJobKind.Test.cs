using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using k8s;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Compression;
using Whetstone.Operator.Configuration;
using Whetstone.Operator.Preflight;
using Whetstone.Operator.Tests.Preflight;
using Whetstone.Operator.Workers;
using static Whetstone.Operator.Tests.Compression.CompressionJobs;

namespace Whetstone.Operator.Tests.Compression;

/// <summary>The CompressionJob kind through the shared planner: references, permanent reasons, results in words, preflight.</summary>
public sealed class CompressionJobKindTest : IDisposable
{
    private static readonly CompressionResults Aligned = new()
    {
        CompressionRatio = 3.9,
        Speedup = 2.8,
        AccuracyDrop = 0.007,
        CosineSimilarity = 0.996,
        Aligned = true,
    };

    private readonly LocalArtifacts _artifacts = new();
    private readonly Kubernetes _client = new(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" });

    public void Dispose()
    {
        _client.Dispose();
        _artifacts.Dispose();
    }

    [Fact]
    public void Every_model_and_dataset_reference_is_a_source_the_job_waits_for()
    {
        var job = New(source: new ModelSource { FineTuneJobRef = new LocalObjectReference { Name = "support-lora" } });
        job.Spec.Steps.Insert(0, new CompressionStep
        {
            Distill = new DistillStep
            {
                StudentModel = new ModelSource { CompressionJobRef = new LocalObjectReference { Name = "small" } },
                Dataset = new DatasetSource { FineTuneJobRef = new LocalObjectReference { Name = "distill-data" }, Split = DatasetSplits.Train },
            },
        });
        job.Spec.Steps.Insert(1, new CompressionStep
        {
            Prune = new PruneStep { Sparsity = 0.3, Recovery = new PruneRecovery { Dataset = new DatasetSource { FineTuneJobRef = new LocalObjectReference { Name = "recovery-data" } } } },
        });
        job.Spec.CalibrationDataset = new DatasetSource { FineTuneJobRef = new LocalObjectReference { Name = "support-lora" }, Split = DatasetSplits.Validation };
        job.Spec.EvaluationDataset = new DatasetSource { FineTuneJobRef = new LocalObjectReference { Name = "support-lora" } };

        var references = CompressionJobKind.Instance.References(job);

        Assert.Equal(
        [
            ("spec.sourceModel.fineTuneJobRef", Kinds.FineTuneJob, "support-lora"),
            ("spec.steps[0].distill.studentModel.compressionJobRef", Kinds.CompressionJob, "small"),
            ("spec.steps[0].distill.dataset.fineTuneJobRef", Kinds.FineTuneJob, "distill-data"),
            ("spec.steps[1].prune.recovery.dataset.fineTuneJobRef", Kinds.FineTuneJob, "recovery-data"),
            ("spec.calibrationDataset.fineTuneJobRef", Kinds.FineTuneJob, "support-lora"),
            ("spec.evaluationDataset.fineTuneJobRef", Kinds.FineTuneJob, "support-lora"),
        ], references.Select(r => (r.Field, r.Kind, r.Name)));
        Assert.All(references, r => Assert.Equal(ConditionReasons.WaitingForSource, r.WaitingReason));
    }

    [Fact]
    public void The_workers_role_may_read_the_referenced_jobs_and_nothing_else()
    {
        var job = New(source: new ModelSource { FineTuneJobRef = new LocalObjectReference { Name = "support-lora" } });
        job.Spec.EvaluationDataset = new DatasetSource { FineTuneJobRef = new LocalObjectReference { Name = "eval-data" } };

        var role = WorkerAccess.Build(job, Plurals.CompressionJobs, CompressionJobKind.Instance.References(job)).Role;

        Assert.Equal("support-int8-compressionjob-worker", role.Metadata.Name);
        var read = Assert.Single(role.Rules, r => r.Resources.SequenceEqual([Plurals.FineTuneJobs]));
        Assert.Equal(["get"], read.Verbs);
        Assert.Equal(["eval-data", "support-lora"], read.ResourceNames);
        Assert.Equal(["support-int8"], role.Rules.Single(r => r.Resources.SequenceEqual([Plurals.CompressionJobs + "/status"])).ResourceNames);
    }

    [Fact]
    public void A_job_whose_source_has_not_succeeded_is_Queued_WaitingForSource_without_a_pod()
    {
        var waiting = new ReferenceState(false, false, ConditionReasons.WaitingForSource, "spec.sourceModel.fineTuneJobRef: waiting for FineTuneJob support-lora to succeed (phase Running)");

        var plan = Plan(New(), waiting);

        Assert.Equal(JobPhases.Queued, plan.Status.Phase);
        Assert.Equal("True/WaitingForSource", plan.Status.Condition(ConditionTypes.Progressing));
        Assert.Contains("support-lora", plan.Status.Message);
        Assert.Null(plan.PodToCreate);
    }

    [Fact]
    public void The_first_attempt_runs_the_compress_subcommand()
    {
        var plan = Plan(New(), ReferenceState.Resolved);

        Assert.Equal(["compress", "--from-cluster"], plan.PodToCreate!.Spec.Containers.Single().Args);
        Assert.Equal(Kinds.CompressionJob, plan.PodToCreate.Metadata.OwnerReferences.Single().Kind);
    }

    [Fact]
    public void AlignmentFailed_fails_the_job_at_once_although_retries_are_left()
    {
        var job = New().WithStatus(JobPhases.Running, 1, Aligned with { Aligned = false, AccuracyDrop = 0.31, CosineSimilarity = 0.82 });
        var pod = Pod(job, 1, "Failed", Failure(ConditionReasons.AlignmentFailed, "cosine 0.82 < 0.99; worst layers: model.layers.0.mlp.down_proj (cosine 0.41)"));

        var plan = Plan(job, ReferenceState.Resolved, pod);

        Assert.Equal(JobPhases.Failed, plan.Status.Phase);
        Assert.Equal("True/AlignmentFailed", plan.Status.Condition(ConditionTypes.Failed));
        Assert.Contains("model.layers.0.mlp.down_proj", plan.Status.Message);
        Assert.Equal("False/AlignmentFailed", plan.Status.Condition(ConditionTypes.Aligned));
        Assert.Null(plan.PodToCreate);
    }

    [Fact]
    public void A_failure_the_kind_does_not_call_permanent_is_retried()
    {
        var job = New().WithStatus(JobPhases.Running, 1);
        var pod = Pod(job, 1, "Failed", Failure(ConditionReasons.OutOfMemory, "CUDA out of memory"));

        var plan = Plan(job, ReferenceState.Resolved, pod);

        Assert.Equal(JobPhases.Pending, plan.Status.Phase);
        Assert.Equal("support-int8-worker-2", plan.PodToCreate?.Metadata.Name);
        Assert.Contains(plan.Events, e => e.Reason == WorkerEventReasons.Retrying && e.Message.Contains(ConditionReasons.OutOfMemory, StringComparison.Ordinal));
    }

    [Fact]
    public void A_succeeded_job_says_its_ratio_speedup_and_accuracy_drop_and_is_Aligned()
    {
        var job = New().WithStatus(JobPhases.Running, 1, Aligned);

        var plan = Plan(job, ReferenceState.Resolved, Pod(job, 1, "Succeeded"));

        Assert.Equal(JobPhases.Succeeded, plan.Status.Phase);
        Assert.Equal("3.90× smaller, 2.80× faster, accuracy drop 0.007, cosine 0.9960, aligned", plan.Status.Message);
        Assert.Equal("True/Succeeded", plan.Status.Condition(ConditionTypes.Aligned));
    }

    [Fact]
    public void A_compressed_model_slower_than_the_original_is_reported_slower_never_as_a_speedup()
    {
        var job = New().WithStatus(JobPhases.Running, 1, Aligned with { Speedup = 0.8 });

        var plan = Plan(job, ReferenceState.Resolved, Pod(job, 1, "Succeeded"));

        Assert.Contains("1.25× slower than the original", plan.Status.Message);
        Assert.DoesNotContain("faster", plan.Status.Message);
    }

    [Fact]
    public void Results_that_reach_the_job_after_its_pod_succeeded_replace_the_plain_success_message_once()
    {
        var job = New().WithStatus(JobPhases.Running, 1);
        var pod = Pod(job, 1, "Succeeded");
        var first = Plan(job, ReferenceState.Resolved, pod);
        Assert.Equal(CompressionJobKind.Instance.SuccessMessage, first.Status.Message);
        Assert.Null(first.Status.Condition(ConditionTypes.Aligned));

        var withResults = job with { Status = first.Status with { Results = Aligned } };
        var second = Plan(withResults, ReferenceState.Resolved, pod);
        var third = Plan(withResults with { Status = second.Status }, ReferenceState.Resolved, pod);

        Assert.StartsWith("3.90× smaller", second.Status.Message);
        Assert.Equal("True/Succeeded", second.Status.Condition(ConditionTypes.Aligned));
        Assert.True(StatusComparer.AreEqual(second.Status, third.Status));
    }

    [Fact]
    public async Task Preflight_names_the_first_unreadable_input_the_source_model_then_the_evaluation_data()
    {
        var job = New();
        job.Spec.SourceModel = new ModelSource { Uri = _artifacts.ModelUri };
        job.Spec.EvaluationDataset = new DatasetSource { Uri = new Uri(Path.Combine(_artifacts.Root, "missing.jsonl")).AbsoluteUri };
        job.Spec.Output = new OutputLocation { Uri = _artifacts.OutputUri };

        var missingData = await RunChecksAsync(job);
        job.Spec.SourceModel = new ModelSource { Uri = new Uri(Path.Combine(_artifacts.Root, "nothing") + "/").AbsoluteUri };
        var missingModel = await RunChecksAsync(job);
        job.Spec.SourceModel = new ModelSource { Uri = _artifacts.ModelUri };
        job.Spec.EvaluationDataset = new DatasetSource { Uri = _artifacts.DatasetUri };
        var fine = await RunChecksAsync(job);

        Assert.Equal((PreflightOutcome.Failed, ConditionReasons.SourceNotFound), (missingData.Outcome, missingData.Reason));
        Assert.StartsWith("spec.evaluationDataset.uri:", missingData.Message);
        Assert.Equal((PreflightOutcome.Failed, ConditionReasons.SourceNotFound), (missingModel.Outcome, missingModel.Reason));
        Assert.StartsWith("spec.sourceModel.uri:", missingModel.Message);
        Assert.Equal(PreflightOutcome.Passed, fine.Outcome);
        Assert.Contains("spec.evaluationDataset: " + _artifacts.DatasetUri, fine.Message);
        Assert.Contains("spec.output.uri: " + _artifacts.OutputUri + " is writable", fine.Message);
    }

    /// <summary>The shared preflight (a fresh cache each time, so each call checks) with the kind's checks.</summary>
    private Task<PreflightVerdict> RunChecksAsync(CompressionJob job)
    {
        var workers = Options.Create(new WorkerOptions { ArtifactStoreSecretName = "" });
        var preflight = Options.Create(new PreflightOptions());
        var checks = new ArtifactChecks(new ArtifactStoreProvider(_client, workers, preflight), preflight);
        return new WorkerJobPreflight<CompressionJob>(CompressionJobKind.Instance, checks, new PreflightCache(preflight, TimeProvider.System), preflight,
            NullLogger<WorkerJobPreflight<CompressionJob>>.Instance).CheckAsync(job, CancellationToken.None);
    }
}

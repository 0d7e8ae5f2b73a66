using k8s;
using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Tests.Cluster;
using static Whetstone.Operator.Tests.Cluster.ScriptedWorkerFixture;

namespace Whetstone.Operator.Tests.Evaluation;

/// <summary>
/// EvaluationRun on the embedded default with a steered worker: a run whose gate failed Succeeded with verdict
/// Failed, Contaminated without a retry, and a compressionJobRef model / fineTuneJobRef training data that is waited
/// for (Queued, WaitingForSource) or fails the run.
/// </summary>
[Collection(ScriptedWorkerCollection.Name)]
public sealed class EvaluationRunControllerIntegrationTest(ScriptedWorkerFixture cluster)
{
    private EvaluationRun Run(string name, EvaluationModel? model = null, ContaminationCheck? contamination = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new EvaluationRunSpec
        {
            Model = model ?? new EvaluationModel { Uri = cluster.Artifacts.ModelUri, Name = "support-bot" },
            Baseline = new EvaluationModel { Uri = cluster.Artifacts.ModelUri, Name = "support-bot", Version = "1.2.0" },
            Suites = [new EvaluationSuite { Name = "domain", Type = SuiteTypes.MultipleChoice, Dataset = new DatasetSource { Uri = cluster.Artifacts.DatasetUri } }],
            Contamination = contamination,
            Gates = [new EvaluationGate { Suite = "domain", Metric = EvaluationMetrics.Accuracy, Min = 0.8 }],
            RunPolicy = new RunPolicy { BackoffLimit = 2 },
            Output = new OutputLocation { Uri = cluster.Artifacts.OutputUri },
        },
    };

    private CompressionJob Compression(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new CompressionJobSpec
        {
            SourceModel = new ModelSource { Uri = cluster.Artifacts.ModelUri },
            Steps = [new CompressionStep { Quantize = new QuantizeStep { Type = QuantizationTypes.Int8 } }],
            EvaluationDataset = new DatasetSource { Uri = cluster.Artifacts.DatasetUri },
            Output = new OutputLocation { Uri = cluster.Artifacts.OutputUri },
        },
    };

    private Task<EvaluationRun> WaitForPhaseAsync(string ns, string name, string phase) =>
        cluster.WaitAsync<EvaluationRun>(ns, name, r => r.Status?.Phase == phase, $"reaches {phase}");

    [Fact]
    public async Task A_run_whose_gate_failed_Succeeded_with_verdict_Failed_GatesFailed_and_the_gate_in_words()
    {
        var ns = await ClusterFixture.NewNamespaceAsync(cluster.Client);
        await cluster.CreateAsync(ns, Run("eval"), Plurals.EvaluationRuns);
        await WaitForPhaseAsync(ns, "eval", JobPhases.Running);

        await cluster.PatchStatusAsWorkerAsync(Plurals.EvaluationRuns, ns, "eval", new EvaluationRunStatus
        {
            Verdict = Verdicts.Failed,
            Gates = [new GateResult { Suite = "domain", Metric = "accuracy", Value = 0.62, Threshold = 0.8, Passed = false, Message = "accuracy 0.620 is below 0.800" }],
        });
        cluster.ReleaseWorker(ns, "eval");
        var run = await cluster.WaitAsync<EvaluationRun>(ns, "eval", r => r.Status?.Phase == JobPhases.Succeeded && Condition(r.Status, ConditionTypes.GatesPassed).Status != "absent",
            "succeeds with its verdict");

        Assert.Equal(Verdicts.Failed, run.Status!.Verdict);
        Assert.Equal(("False", ConditionReasons.GatesFailed), Condition(run.Status, ConditionTypes.GatesPassed));
        Assert.Equal(("True", ConditionReasons.Succeeded), Condition(run.Status, ConditionTypes.Succeeded));
        Assert.Equal("verdict Failed: 1 of 1 gates failed: domain/accuracy (accuracy 0.620 is below 0.800)", run.Status.Message);
        Assert.Equal("evaluate", cluster.SubcommandOf(ns, "eval"));
        var table = (await cluster.Kubectl.RunOkAsync($"get evr eval -n {ns}")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "PHASE", "VERDICT", "MODEL", "AGE"], table[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["eval", "Succeeded", "Failed", "support-bot"], table[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..4]);
    }

    [Fact]
    public async Task Contaminated_test_data_fails_the_run_on_its_first_attempt()
    {
        var ns = await ClusterFixture.NewNamespaceAsync(cluster.Client);
        cluster.FailWorker(ns, "leaky", ConditionReasons.Contaminated, "31 of 200 test records (15.5 %) overlap the training data (maxOverlap 1 %); first: test record 4");
        await cluster.CreateAsync(ns, Run("leaky"), Plurals.EvaluationRuns);

        var run = await WaitForPhaseAsync(ns, "leaky", JobPhases.Failed);

        Assert.Equal(("True", ConditionReasons.Contaminated), Condition(run.Status, ConditionTypes.Failed));
        Assert.Contains("test record 4", run.Status!.Message);
        Assert.Equal(1, run.Status.Attempts);
        Assert.Null(run.Status.Verdict);
    }

    [Fact]
    public async Task A_run_of_a_compressed_model_waits_Queued_WaitingForSource_until_its_CompressionJob_succeeded()
    {
        var ns = await ClusterFixture.NewNamespaceAsync(cluster.Client);
        await cluster.CreateAsync(ns, Compression("int8"), Plurals.CompressionJobs);
        await cluster.CreateAsync(ns, Run("eval-int8", new EvaluationModel { CompressionJobRef = new LocalObjectReference { Name = "int8" }, Name = "support-bot" }),
            Plurals.EvaluationRuns);

        await cluster.WaitAsync<CompressionJob>(ns, "int8", j => j.Status?.Phase == JobPhases.Running, "runs");
        var queued = await cluster.WaitAsync<EvaluationRun>(ns, "eval-int8",
            r => r.Status?.Phase == JobPhases.Queued && Condition(r.Status, ConditionTypes.Progressing).Reason == ConditionReasons.WaitingForSource, "waits Queued for its model");
        Assert.StartsWith("spec.model.compressionJobRef: waiting for CompressionJob int8 to succeed", queued.Status!.Message);
        Assert.Null(cluster.SubcommandOf(ns, "eval-int8"));

        cluster.ReleaseWorker(ns, "int8");
        cluster.ReleaseWorker(ns, "eval-int8");
        await WaitForPhaseAsync(ns, "eval-int8", JobPhases.Succeeded);
        var role = await cluster.Client.RbacAuthorizationV1.ReadNamespacedRoleAsync("eval-int8-evaluationrun-worker", ns);
        Assert.Contains(role.Rules, r => r.Resources.SequenceEqual([Plurals.CompressionJobs]) && r.ResourceNames.SequenceEqual(["int8"]));
    }

    [Fact]
    public async Task A_run_whose_training_data_job_failed_fails_with_ReferenceFailed()
    {
        var ns = await ClusterFixture.NewNamespaceAsync(cluster.Client);
        cluster.FailWorker(ns, "lora", ConditionReasons.Diverged, "loss is NaN at step 7");
        await cluster.CreateAsync(ns, cluster.Artifacts.NewJob("lora", ns), Plurals.FineTuneJobs);
        await cluster.CreateAsync(ns, Run("eval-lora", contamination: new ContaminationCheck { TrainingDataset = new DatasetSource { FineTuneJobRef = new LocalObjectReference { Name = "lora" } } }),
            Plurals.EvaluationRuns);

        var run = await WaitForPhaseAsync(ns, "eval-lora", JobPhases.Failed);

        Assert.Equal(("True", ConditionReasons.ReferenceFailed), Condition(run.Status, ConditionTypes.Failed));
        Assert.StartsWith("spec.contamination.trainingDataset.fineTuneJobRef: FineTuneJob lora failed (Diverged:", run.Status!.Message);
        Assert.Null(cluster.SubcommandOf(ns, "eval-lora"));
    }
}

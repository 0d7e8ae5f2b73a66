using k8s;
using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Tests.Cluster;
using static Whetstone.Operator.Tests.Cluster.ScriptedWorkerFixture;

namespace Whetstone.Operator.Tests.Compression;

/// <summary>
/// CompressionJob on the embedded default with a steered worker: success with its results in words, AlignmentFailed
/// without a retry, and a fineTuneJobRef source that is waited for (Queued, WaitingForSource) or fails the job.
/// </summary>
[Collection(ScriptedWorkerCollection.Name)]
public sealed class CompressionJobControllerIntegrationTest(ScriptedWorkerFixture cluster)
{
    private CompressionJob Job(string name, ModelSource? source = null, DatasetSource? evaluation = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new CompressionJobSpec
        {
            SourceModel = source ?? new ModelSource { Uri = cluster.Artifacts.ModelUri },
            Steps = [new CompressionStep { Quantize = new QuantizeStep { Type = QuantizationTypes.Int8 } }, new CompressionStep { Convert = new ConvertStep { Format = ConversionFormats.Onnx } }],
            EvaluationDataset = evaluation ?? new DatasetSource { Uri = cluster.Artifacts.DatasetUri, Format = DatasetFormats.Chat },
            Alignment = new Alignment { MaxAccuracyDrop = 0.02, MinCosineSimilarity = 0.99 },
            RunPolicy = new RunPolicy { BackoffLimit = 2 },
            Output = new OutputLocation { Uri = cluster.Artifacts.OutputUri },
        },
    };

    private Task<CompressionJob> WaitForPhaseAsync(string ns, string name, string phase) =>
        cluster.WaitAsync<CompressionJob>(ns, name, j => j.Status?.Phase == phase, $"reaches {phase}");

    [Fact]
    public async Task A_compression_job_whose_worker_succeeds_says_its_ratio_speedup_and_drop_and_is_Aligned()
    {
        var ns = await ClusterFixture.NewNamespaceAsync(cluster.Client);
        await cluster.CreateAsync(ns, Job("int8"), Plurals.CompressionJobs);
        await WaitForPhaseAsync(ns, "int8", JobPhases.Running);

        await cluster.PatchStatusAsWorkerAsync(Plurals.CompressionJobs, ns, "int8", new CompressionJobStatus
        {
            Results = new CompressionResults { CompressionRatio = 3.9, Speedup = 2.8, AccuracyDrop = 0.007, CosineSimilarity = 0.996, Aligned = true },
        });
        cluster.ReleaseWorker(ns, "int8");
        var job = await cluster.WaitAsync<CompressionJob>(ns, "int8", j => j.Status?.Phase == JobPhases.Succeeded && j.Status.Message!.Contains("smaller", StringComparison.Ordinal),
            "succeeds with its results in words");

        Assert.Equal("3.90× smaller, 2.80× faster, accuracy drop 0.007, cosine 0.9960, aligned", job.Status!.Message);
        Assert.Equal(("True", ConditionReasons.Succeeded), Condition(job.Status, ConditionTypes.Aligned));
        Assert.Equal("compress", cluster.SubcommandOf(ns, "int8"));
        var pod = Assert.Single((await cluster.Client.CoreV1.ListNamespacedPodAsync(ns)).Items);
        Assert.Equal("int8-compressionjob-worker", pod.Spec.ServiceAccountName);
        Assert.Equal(3.9, job.Status.Results!.CompressionRatio);
        var table = (await cluster.Kubectl.RunOkAsync($"get cpj int8 -n {ns}")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "PHASE", "RATIO", "SPEEDUP", "ACC-DROP", "AGE"], table[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["int8", "Succeeded", "3.9", "2.8", "0.007"], table[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..5]);
    }

    [Fact]
    public async Task Kubectl_apply_refuses_an_impossible_step_list_naming_the_field_and_explain_describes_steps()
    {
        var ns = await ClusterFixture.NewNamespaceAsync(cluster.Client);
        var manifest = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "examples", "invalid", "prune-after-quantize.yaml"));

        var (code, output) = await cluster.Kubectl.RunAsync($"apply -n {ns} -f -", manifest);
        var explained = await cluster.Kubectl.RunOkAsync("explain cpj.spec.steps");

        Assert.NotEqual(0, code);
        Assert.Contains("spec.steps: Invalid value", output);
        Assert.Contains("prune and distill steps must come before quantize and convert steps", output);
        Assert.Equal(string.Empty, (await cluster.Kubectl.RunOkAsync($"get cpj -n {ns} -o name")).Trim());
        Assert.Contains("Steps applied in order", explained);
    }

    [Fact]
    public async Task AlignmentFailed_fails_the_job_on_its_first_attempt()
    {
        var ns = await ClusterFixture.NewNamespaceAsync(cluster.Client);
        cluster.FailWorker(ns, "too-sparse", ConditionReasons.AlignmentFailed, "accuracy drop 0.31 > 0.02, cosine 0.82 < 0.99; worst layers: model.layers.1.mlp.down_proj (cosine 0.41)");
        await cluster.CreateAsync(ns, Job("too-sparse"), Plurals.CompressionJobs);

        var job = await WaitForPhaseAsync(ns, "too-sparse", JobPhases.Failed);

        Assert.Equal(("True", ConditionReasons.AlignmentFailed), Condition(job.Status, ConditionTypes.Failed));
        Assert.Contains("model.layers.1.mlp.down_proj", job.Status!.Message);
        Assert.Equal(1, job.Status.Attempts);
    }

    [Fact]
    public async Task A_job_waits_Queued_WaitingForSource_while_its_FineTuneJob_runs_and_starts_once_it_succeeded()
    {
        var ns = await ClusterFixture.NewNamespaceAsync(cluster.Client);
        await cluster.CreateAsync(ns, cluster.Artifacts.NewJob("lora", ns), Plurals.FineTuneJobs);
        var reference = new LocalObjectReference { Name = "lora" };
        await cluster.CreateAsync(ns, Job("from-lora", new ModelSource { FineTuneJobRef = reference }, new DatasetSource { FineTuneJobRef = reference }),
            Plurals.CompressionJobs);

        await cluster.WaitAsync<FineTuneJob>(ns, "lora", j => j.Status?.Phase == JobPhases.Running, "runs");
        var queued = await cluster.WaitAsync<CompressionJob>(ns, "from-lora", j => j.Status?.Phase == JobPhases.Queued && Condition(j.Status, ConditionTypes.Progressing).Reason == ConditionReasons.WaitingForSource,
            "waits Queued for its source");
        Assert.StartsWith("spec.sourceModel.fineTuneJobRef: waiting for FineTuneJob lora to succeed (phase ", queued.Status!.Message);
        Assert.DoesNotContain((await cluster.Client.CoreV1.ListNamespacedPodAsync(ns)).Items, p => p.Metadata.Name.StartsWith("from-lora", StringComparison.Ordinal));

        cluster.ReleaseWorker(ns, "lora");
        await WaitForPhaseAsync(ns, "from-lora", JobPhases.Running);
        cluster.ReleaseWorker(ns, "from-lora");
        await WaitForPhaseAsync(ns, "from-lora", JobPhases.Succeeded);
        var role = await cluster.Client.RbacAuthorizationV1.ReadNamespacedRoleAsync("from-lora-compressionjob-worker", ns);
        Assert.Contains(role.Rules, r => r.Resources.SequenceEqual([Plurals.FineTuneJobs]) && r.ResourceNames.SequenceEqual(["lora"]) && r.Verbs.SequenceEqual(["get"]));
    }

    [Fact]
    public async Task A_job_whose_FineTuneJob_failed_fails_with_ReferenceFailed_and_that_jobs_reason()
    {
        var ns = await ClusterFixture.NewNamespaceAsync(cluster.Client);
        cluster.FailWorker(ns, "bad-lora", ConditionReasons.DatasetInvalid, "line 3: not JSON");
        await cluster.CreateAsync(ns, cluster.Artifacts.NewJob("bad-lora", ns), Plurals.FineTuneJobs);
        await cluster.CreateAsync(ns, Job("from-bad", evaluation: new DatasetSource { FineTuneJobRef = new LocalObjectReference { Name = "bad-lora" } }),
            Plurals.CompressionJobs);

        var job = await WaitForPhaseAsync(ns, "from-bad", JobPhases.Failed);

        Assert.Equal(("True", ConditionReasons.ReferenceFailed), Condition(job.Status, ConditionTypes.Failed));
        Assert.StartsWith("spec.evaluationDataset.fineTuneJobRef: FineTuneJob bad-lora failed (DatasetInvalid: attempt 1: line 3: not JSON)", job.Status!.Message);
        Assert.Null(job.Status.Attempts);
    }
}

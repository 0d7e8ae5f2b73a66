using k8s;
using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Preflight;
using Whetstone.Operator.Runtime.Clients;
using Whetstone.Operator.Tests.Cluster;

namespace Whetstone.Operator.Tests.Preflight;

/// <summary>
/// The preflight check inside the real operator host against the embedded cluster, with <c>file://</c> stores: a job
/// whose inputs or output are wrong fails with a reason naming the field and never gets a worker pod; a correct pin runs.
/// </summary>
public sealed class FineTuneJobPreflightIntegrationTest(OperatorFixture cluster) : IClassFixture<OperatorFixture>, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly LocalArtifacts _artifacts = new();

    private CustomResourceClient<FineTuneJob> Jobs => new(cluster.Client);

    public void Dispose() => _artifacts.Dispose();

    [Fact]
    public async Task A_base_model_pinned_to_a_wrong_digest_fails_with_DigestMismatch_and_no_worker_pod()
    {
        var wrong = "sha256:" + new string('0', 64);
        var job = Job("ok-wrong-pin");
        job.Spec.BaseModel.Digest = wrong;

        var failed = await RunToFailureAsync(job, ConditionReasons.DigestMismatch);
        Assert.Contains($"spec.baseModel.digest pins {wrong}", failed.Message);
        Assert.Contains(_artifacts.ModelDigest, failed.Message);
    }

    [Fact]
    public async Task A_missing_dataset_fails_with_SourceNotFound_naming_the_field()
    {
        var job = Job("ok-no-dataset");
        job.Spec.Dataset.Uri = new Uri(Path.Combine(_artifacts.Root, "data", "missing.jsonl")).AbsoluteUri;

        var failed = await RunToFailureAsync(job, ConditionReasons.SourceNotFound);
        Assert.StartsWith($"spec.dataset.uri: no dataset file at {job.Spec.Dataset.Uri}", failed.Message);
    }

    [Fact]
    public async Task An_output_folder_that_cannot_be_written_fails_with_OutputNotWritable()
    {
        var job = Job("ok-read-only-output");
        job.Spec.Output = new OutputLocation { Uri = _artifacts.UnwritableOutputUri() };

        var failed = await RunToFailureAsync(job, ConditionReasons.OutputNotWritable);
        Assert.StartsWith("spec.output.uri: ", failed.Message);
    }

    [Fact]
    public async Task Correct_pins_pass_the_check_once_and_the_job_runs()
    {
        var job = Job("ok-pinned");
        job.Spec.BaseModel.Digest = _artifacts.ModelDigest;
        job.Spec.Dataset.Digest = _artifacts.DatasetDigest;
        var ns = await CreateAsync(job);

        var done = await WaitForPhaseAsync(ns, job.Metadata.Name, JobPhases.Succeeded);
        Assert.Equal(1, done.Status!.Attempts);
        var events = await EventsAsync(ns, job.Metadata.Name);
        var passed = Assert.Single(events, e => e.Reason == PreflightEventReasons.PreflightPassed);
        Assert.Contains(_artifacts.ModelDigest, passed.Message);
        Assert.Contains(_artifacts.DatasetDigest, passed.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_artifacts.OutputDirectory));
    }

    private FineTuneJob Job(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new FineTuneJobSpec
        {
            BaseModel = new ModelSource { Uri = _artifacts.ModelUri },
            Dataset = new FineTuneDataset { Uri = _artifacts.DatasetUri, Format = "chat" },
            Output = new OutputLocation { Uri = _artifacts.OutputUri },
        },
    };

    private async Task<string> CreateAsync(FineTuneJob job)
    {
        var ns = await ClusterFixture.NewNamespaceAsync(cluster.Client);
        job.Metadata.NamespaceProperty = ns;
        await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(job, WhetstoneApi.Group, WhetstoneApi.Version, ns, Plurals.FineTuneJobs);
        return ns;
    }

    /// <summary>Creates the job, waits for Failed with <paramref name="reason"/>, and checks that no worker pod was made and an event says why.</summary>
    private async Task<V1Condition> RunToFailureAsync(FineTuneJob job, string reason)
    {
        var ns = await CreateAsync(job);
        var failed = await WaitForPhaseAsync(ns, job.Metadata.Name, JobPhases.Failed);
        var condition = failed.Status!.Conditions!.Single(c => c.Type == ConditionTypes.Failed);
        Assert.Equal(("True", reason), (condition.Status, condition.Reason));
        Assert.Equal(0, failed.Status.Attempts ?? 0);
        Assert.Empty((await cluster.Client.CoreV1.ListNamespacedPodAsync(ns)).Items);
        await Eventually.TrueAsync(async () => (await EventsAsync(ns, job.Metadata.Name)).Any(e => e.Reason == reason && e.Type == "Warning"),
            $"a {reason} warning event is recorded");
        return condition;
    }

    private async Task<FineTuneJob> WaitForPhaseAsync(string ns, string name, string phase)
    {
        FineTuneJob? job = null;
        await Eventually.TrueAsync(async () =>
        {
            job = await Jobs.GetAsync(ns, name, CancellationToken.None);
            return job?.Status?.Phase == phase;
        }, $"{ns}/{name} reaches {phase} (last seen {job?.Status?.Phase}: {job?.Status?.Message})", Patience);
        return job!;
    }

    private async Task<IList<Corev1Event>> EventsAsync(string ns, string name) =>
        (await cluster.Client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: $"involvedObject.name={name}")).Items;
}

using System.Text;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Options;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Configuration;
using Whetstone.Operator.Preflight;
using Whetstone.Operator.Runtime.Clients;
using Whetstone.Operator.Tests.Cluster;

namespace Whetstone.Operator.Tests.Preflight;

/// <summary>
/// The preflight check against a real S3 server (s3rver): a store that is down keeps a job Pending instead of failing
/// it, and the operator reads the artifact store Secret the workers get, rebuilding its client when the Secret changes.
/// </summary>
public sealed class S3PreflightIntegrationTest(S3PreflightFixture fixture) : IClassFixture<S3PreflightFixture>
{
    private const string SecretName = "whetstone-artifacts";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_unreachable_store_keeps_the_job_Pending_with_ArtifactStoreUnavailable_and_it_runs_once_the_store_answers()
    {
        var ns = await ClusterFixture.NewNamespaceAsync(fixture.Client);
        var jobs = new CustomResourceClient<FineTuneJob>(fixture.Client);
        await fixture.S3.StopAsync();
        try
        {
            await fixture.Client.CustomObjects.CreateNamespacedCustomObjectAsync(new FineTuneJob
            {
                Metadata = new V1ObjectMeta { Name = "s3-waits", NamespaceProperty = ns },
                Spec = new FineTuneJobSpec
                {
                    BaseModel = new ModelSource { Uri = fixture.ModelUri, Digest = fixture.ModelDigest },
                    Dataset = new FineTuneDataset { Uri = fixture.DatasetUri, Format = "chat", Digest = fixture.DatasetDigest },
                    Output = new OutputLocation { Uri = fixture.OutputUri },
                },
            }, WhetstoneApi.Group, WhetstoneApi.Version, ns, Plurals.FineTuneJobs);

            FineTuneJob? job = null;
            await Eventually.TrueAsync(async () =>
            {
                job = await jobs.GetAsync(ns, "s3-waits", CancellationToken.None);
                return job?.Status?.Conditions?.Any(c => c.Type == ConditionTypes.Progressing && c.Reason == ConditionReasons.ArtifactStoreUnavailable) == true;
            }, $"the job waits with ArtifactStoreUnavailable (last seen {job?.Status?.Phase}: {job?.Status?.Message})", Patience);
            Assert.Equal(JobPhases.Pending, job!.Status!.Phase);
            Assert.StartsWith("waiting to check the inputs: spec.baseModel.uri: ", job.Status.Message);
            Assert.Empty((await fixture.Client.CoreV1.ListNamespacedPodAsync(ns)).Items);
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.Equal(JobPhases.Pending, (await jobs.GetAsync(ns, "s3-waits", CancellationToken.None))!.Status!.Phase);
        }
        finally
        {
            await fixture.S3.StartAsync();
        }

        FineTuneJob? done = null;
        await Eventually.TrueAsync(async () =>
        {
            done = await jobs.GetAsync(ns, "s3-waits", CancellationToken.None);
            return done?.Status?.Phase == JobPhases.Succeeded;
        }, $"the job runs once the store answers (last seen {done?.Status?.Phase}: {done?.Status?.Message})", Patience);
        var events = (await fixture.Client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: "involvedObject.name=s3-waits")).Items;
        Assert.Contains(events, e => e.Reason == ConditionReasons.ArtifactStoreUnavailable && e.Type == "Warning");
        var passed = Assert.Single(events, e => e.Reason == PreflightEventReasons.PreflightPassed);
        Assert.Contains(fixture.ModelDigest, passed.Message);

        // The store's credentials (both "S3RVER") appear in no event and nowhere in the job's status.
        Assert.All(events, e => Assert.DoesNotContain(S3PreflightFixture.SecretKey, e.Message ?? "", StringComparison.Ordinal));
        Assert.DoesNotContain(S3PreflightFixture.SecretKey, KubernetesJson.Serialize(done!.Status), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_operator_reads_the_workers_Secret_and_follows_its_changes()
    {
        var ns = await ClusterFixture.NewNamespaceAsync(fixture.Client);
        using var stores = new ArtifactStoreProvider(fixture.Client,
            Options.Create(new WorkerOptions { ArtifactStoreSecretName = SecretName }),
            Options.Create(new PreflightOptions()));
        var checks = new ArtifactChecks(stores, Options.Create(new PreflightOptions()));

        var noSecret = await checks.CheckDatasetAsync(ns, fixture.DatasetUri, fixture.DatasetDigest, "spec.dataset", default);
        Assert.Equal((PreflightOutcome.Waiting, ConditionReasons.ArtifactStoreUnavailable), (noSecret.Outcome, noSecret.Reason));
        Assert.Contains($"the artifact store Secret {ns}/{SecretName} does not exist", noSecret.Message);

        var secret = await fixture.Client.CoreV1.CreateNamespacedSecretAsync(Secret(SecretName, S3PreflightFixture.AccessKey), ns);
        var dataset = await checks.CheckDatasetAsync(ns, fixture.DatasetUri, fixture.DatasetDigest, "spec.dataset", default);
        Assert.Equal(PreflightOutcome.Passed, dataset.Outcome);
        Assert.Equal(PreflightOutcome.Passed, (await checks.CheckOutputAsync(ns, fixture.OutputUri, "uid-secret", "spec.output.uri", default)).Outcome);

        // s3rver checks the access key (it does not verify v4 signatures), so a wrong access key stands for wrong credentials.
        secret.Data = Secret(SecretName, "NOT-A-KEY").Data;
        await fixture.Client.CoreV1.ReplaceNamespacedSecretAsync(secret, SecretName, ns);
        var denied = await checks.CheckOutputAsync(ns, fixture.OutputUri, "uid-secret", "spec.output.uri", default);
        Assert.Equal((PreflightOutcome.Failed, ConditionReasons.OutputNotWritable), (denied.Outcome, denied.Reason));
        Assert.Contains("access denied", denied.Message);
    }

    private V1Secret Secret(string name, string accessKey) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Data = new Dictionary<string, byte[]>
        {
            ["endpoint"] = Encoding.UTF8.GetBytes(fixture.Endpoint),
            ["accessKey"] = Encoding.UTF8.GetBytes(accessKey),
            ["secretKey"] = Encoding.UTF8.GetBytes(S3PreflightFixture.SecretKey),
        },
    };
}

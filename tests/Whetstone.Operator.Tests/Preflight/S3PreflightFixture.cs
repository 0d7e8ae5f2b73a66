using k8s;
using Whetstone.Artifacts;
using Whetstone.Artifacts.Models;
using Whetstone.Artifacts.Tests.S3;
using Whetstone.LocalCluster.Node;
using Whetstone.Operator.Tests.Cluster;

namespace Whetstone.Operator.Tests.Preflight;

/// <summary>
/// An s3rver holding a stored model and dataset, and the embedded default whose operator (and workers) reach it
/// through <c>WHETSTONE_S3_*</c> settings, with a one-second preflight back-off. The worker image is a script that
/// succeeds: these tests are about when the worker starts, not what it does.
/// </summary>
public sealed class S3PreflightFixture : IAsyncLifetime
{
    public const string Bucket = "whetstone-preflight";
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private readonly LocalArtifacts _artifacts = new();
    private EmbeddedDefault _cluster = null!;

    internal S3rverProcess S3 { get; } = new();

    public IKubernetes Client { get; private set; } = null!;

    public string ModelUri => $"s3://{Bucket}/models/tiny/v1/";

    public string DatasetUri => $"s3://{Bucket}/datasets/support.jsonl";

    public string OutputUri => $"s3://{Bucket}/out/";

    public string ModelDigest { get; private set; } = "";

    public string DatasetDigest { get; private set; } = "";

    public string Endpoint => S3.Endpoint;

    public async Task InitializeAsync()
    {
        await S3.StartAsync();
        var options = new ArtifactStoreOptions { Endpoint = S3.Endpoint, AccessKey = AccessKey, SecretKey = SecretKey, CreateBucketIfMissing = true };
        using (var store = ArtifactStoreFactory.Create($"s3://{Bucket}/", options))
        {
            ModelDigest = (await ModelDirectories.UploadAsync(store, "models/tiny/v1/", _artifacts.ModelDirectory, new ModelProvenance())).Digest;
            await using var dataset = File.OpenRead(_artifacts.DatasetPath);
            DatasetDigest = (await store.PutAsync("datasets/support.jsonl", dataset, "application/jsonl")).Digest;
        }

        _cluster = await EmbeddedDefault.StartAsync(
            Path.Combine(Path.GetTempPath(), $"whetstone-preflight-s3-{Guid.NewGuid():N}"),
            "whetstone/worker:succeeds",
            new ImageCommand { FileName = "/bin/sh", Args = ["-c", "sleep 1; exit 0", "worker"] },
            gpuSlots: 0,
            new Dictionary<string, string?>
            {
                ["Whetstone:LeaderElection:Namespace"] = "default",
                ["Whetstone:Preflight:RetryBaseDelay"] = "00:00:01",
                ["Whetstone:Preflight:RetryMaxDelay"] = "00:00:02",
                ["Whetstone:Workers:Environment:WHETSTONE_S3_ENDPOINT"] = S3.Endpoint,
                ["Whetstone:Workers:Environment:WHETSTONE_S3_ACCESS_KEY"] = AccessKey,
                ["Whetstone:Workers:Environment:WHETSTONE_S3_SECRET_KEY"] = SecretKey,
            },
            async server =>
            {
                Client = ClusterFixture.Connect(server);
                await OperatorFixture.ApplyCrdsAsync(Client);
            });
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await _cluster.DisposeAsync();
        await S3.DisposeAsync();
        _artifacts.Dispose();
    }
}

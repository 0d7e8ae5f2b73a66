using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Artifacts;
using Whetstone.Artifacts.Models;
using Whetstone.Reliability.Tests.Artifacts;
using Whetstone.Reliability.Tests.Cluster;
using Whetstone.Reliability.Tests.Operators;
using Whetstone.Reliability.Tests.Results;

namespace Whetstone.Reliability.Tests.Security;

/// <summary>
/// The artifact store's secret key, given to jobs the way a platform engineer does (a Secret the operator and the worker
/// pods read), must never appear in anything the run produces: the operator's debug log, the worker's log, events,
/// any object's spec or status (pods included: their environment refers to the Secret), reports and manifests in the
/// store, scratch files. Three jobs: one that trains for real against S3 and succeeds, one whose dataset is missing
/// (an S3 error through the operator's preflight), one in a namespace whose Secret names a store that refuses
/// connections. Everything is then searched for the secret, its base64 form and its key ID-free variants.
/// </summary>
public sealed class SecretLeakIntegrationTest(ControlPlane cluster, S3Server s3) : IClassFixture<ControlPlane>, IClassFixture<S3Server>
{
    private const string SecretName = "artifacts";
    private static readonly LeaseTimings Timings = new(TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(500));
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task The_artifact_store_secret_appears_in_no_log_event_object_report_or_file_the_run_produced()
    {
        // s3rver checks the access key ID (it knows only its own) but not SigV4 signatures, so the secret key can be any
        // value: a random one nothing else could contain.
        var secret = $"wsk-{Guid.NewGuid():N}{Guid.NewGuid():N}";
        var ns = await cluster.NewNamespaceAsync();
        var unreachableNs = await cluster.NewNamespaceAsync();
        var prefix = $"leak-{Guid.NewGuid():N}"[..13];
        await UploadInputsAsync(prefix);
        await CreateSecretAsync(ns, s3.Endpoint, secret);
        await CreateSecretAsync(unreachableNs, $"http://127.0.0.1:{ClosedPort()}", secret);

        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Whetstone:Workers:Image"] = ControlPlane.RealWorkerImage,
            ["Whetstone:Workers:ArtifactStoreSecretName"] = SecretName,
            ["Logging:LogLevel:Default"] = "Debug",
        };
        await using var replica = OperatorReplica.Start(cluster.KubeconfigPath, "replica-a", $"leak-{Guid.NewGuid():N}"[..16], Timings, settings);
        await CreateJobAsync(ns, "trains", prefix, $"s3://{S3Server.Bucket}/{prefix}/data/support.jsonl");
        await CreateJobAsync(ns, "missing", prefix, $"s3://{S3Server.Bucket}/{prefix}/data/absent.jsonl");
        await CreateJobAsync(unreachableNs, "unreachable", prefix, $"s3://{S3Server.Bucket}/{prefix}/data/support.jsonl");

        var trains = await WaitForJobAsync(ns, "trains", j => JobPhases.IsTerminal(j.Status?.Phase ?? ""), "the S3 job ends", replica);
        var missing = await WaitForJobAsync(ns, "missing", j => j.Status?.Message?.Contains("absent.jsonl", StringComparison.Ordinal) == true, "the missing dataset is reported", replica);
        var unreachable = await WaitForJobAsync(unreachableNs, "unreachable", j => j.Status?.Message is { Length: > 0 } m && m.Contains("127.0.0.1", StringComparison.Ordinal),
            "the unreachable store is reported", replica);

        // Everything the run produced: operator output, every object but the Secrets themselves (events included), and
        // every file under the cluster's folder (pod logs, scratch, outputs) and the S3 server's (reports, manifests,
        // checkpoints, weights) except the API server's database, where the Secret itself is stored.
        var places = new List<(string Place, string Text)> { ("operator log", string.Join('\n', replica.Output())) };
        foreach (var space in new[] { ns, unreachableNs })
        {
            places.AddRange(await ObjectsAsync(space));
        }

        var skipped = new List<string>();
        places.AddRange(Files(cluster.RootDirectory, skipped));
        places.AddRange(Files(s3.DataDirectory, skipped));
        var needles = new[] { secret, Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)), secret[4..24] };
        var leaks = places.Where(p => needles.Any(n => p.Text.Contains(n, StringComparison.Ordinal))).Select(p => p.Place).ToList();
        var pods = places.Count(p => p.Place.StartsWith("Pod ", StringComparison.Ordinal));
        var workerLogs = places.Count(p => p.Place.EndsWith(".log", StringComparison.Ordinal) && p.Place.Contains("worker", StringComparison.Ordinal));
        var storedFiles = places.Count(p => p.Place.StartsWith(s3.DataDirectory, StringComparison.Ordinal));

        ReliabilityResults.Record(new ReliabilityRow(
            "S3 credentials in a Secret read by the operator and the worker pods: one job trains on S3 and succeeds, one names a missing dataset, one's Secret names a store that refuses connections",
            $"{nameof(SecretLeakIntegrationTest)}.{nameof(The_artifact_store_secret_appears_in_no_log_event_object_report_or_file_the_run_produced)}",
            $"jobs: trains {trains.Status?.Phase}, missing \"{missing.Status?.Message}\", unreachable \"{unreachable.Status?.Message}\"; searched {places.Count} places for the secret key (as is, in base64, and a 20-character piece): "
            + $"the operator's debug log ({replica.Output().Count} lines), {places.Count(p => p.Place.StartsWith("Event ", StringComparison.Ordinal))} events, {pods} pods and every other object in both namespaces, "
            + $"{workerLogs} worker log files, {storedFiles} files in the S3 server's store; skipped {skipped.Count} database files ({string.Join(", ", skipped.Select(Path.GetFileName).Distinct(StringComparer.Ordinal))}); "
            + $"found in: {(leaks.Count == 0 ? "none" : string.Join(", ", leaks))}",
            Recovered: trains.Status?.Phase == JobPhases.Succeeded,
            Lost: leaks.Count > 0,
            new Dictionary<string, double>
            {
                ["placesSearched"] = places.Count,
                ["operatorLogLines"] = replica.Output().Count,
                ["storedFiles"] = storedFiles,
                ["leaks"] = leaks.Count,
            }));

        Assert.Equal(JobPhases.Succeeded, trains.Status?.Phase);
        Assert.True(workerLogs > 0, "the worker's log was searched");
        Assert.True(storedFiles > 5, $"the store's files were searched ({storedFiles})");
        Assert.True(pods > 0, "the worker pods were searched");
        Assert.Empty(leaks);
    }

    private async Task UploadInputsAsync(string prefix)
    {
        using var store = ArtifactStoreFactory.Create(new Uri($"s3://{S3Server.Bucket}/{prefix}/"), s3.Options());
        await ModelDirectories.UploadAsync(store, "models/tiny/", RepositoryRoot.Combine("examples", "models", "tiny-llama"),
            new ModelProvenance(Producer: new ModelProducer("reliability", null, "tiny-llama", null)));

        var records = string.Join('\n', File.ReadLines(RepositoryRoot.Combine("examples", "datasets", "support-chat.jsonl")).Take(40)) + "\n";
        await using var dataset = new MemoryStream(Encoding.UTF8.GetBytes(records));
        await store.PutAsync("data/support.jsonl", dataset);
    }

    private async Task CreateSecretAsync(string ns, string endpoint, string secretKey) =>
        await cluster.Client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret
            {
                Metadata = new V1ObjectMeta { Name = SecretName },
                StringData = new Dictionary<string, string>
                {
                    ["endpoint"] = endpoint,
                    ["accessKey"] = "S3RVER",
                    ["secretKey"] = secretKey,
                    ["tls"] = "false",
                },
            },
            ns);

    private async Task CreateJobAsync(string ns, string name, string prefix, string dataset)
    {
        var job = new FineTuneJob
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
            Spec = new FineTuneJobSpec
            {
                BaseModel = new ModelSource { Uri = $"s3://{S3Server.Bucket}/{prefix}/models/tiny/" },
                Dataset = new FineTuneDataset { Uri = dataset, Format = "chat" },
                Method = new FineTuneMethod { Type = "LoRA", Lora = new LoraConfig { Rank = 4, Alpha = 8, TargetModules = ["q_proj", "v_proj"] } },
                Hyperparameters = new Hyperparameters { Epochs = 1, BatchSize = 8, LearningRate = 5e-3, MaxSequenceLength = 128, Seed = 7 },
                Output = new OutputLocation { Uri = $"s3://{S3Server.Bucket}/{prefix}/out/{ns}/{name}/" },
                RunPolicy = new RunPolicy { BackoffLimit = 0 },
            },
        };
        await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(job, WhetstoneApi.Group, WhetstoneApi.Version, ns, "finetunejobs");
    }

    private async Task<FineTuneJob> WaitForJobAsync(string ns, string name, Func<FineTuneJob, bool> done, string what, OperatorReplica replica)
    {
        FineTuneJob? job = null;
        await Eventually.TrueAsync(async () =>
        {
            job = (await cluster.ReadJobsAsync(ns))[name];
            return done(job);
        }, $"{what} (phase {job?.Status?.Phase}: {job?.Status?.Message})\n{replica.Tail()}", Patience);
        return job!;
    }

    /// <summary>Every object in <paramref name="ns"/> a user or a tool could read, as JSON, except Secrets.</summary>
    private async Task<IEnumerable<(string Place, string Text)>> ObjectsAsync(string ns)
    {
        var found = new List<(string, string)>();
        var client = cluster.Client;
        found.AddRange((await client.CoreV1.ListNamespacedEventAsync(ns)).Items.Select(e => ($"Event {ns}/{e.Metadata.Name}", KubernetesJson.Serialize(e))));
        found.AddRange((await client.CoreV1.ListNamespacedPodAsync(ns)).Items.Select(p => ($"Pod {ns}/{p.Metadata.Name}", KubernetesJson.Serialize(p))));
        found.AddRange((await client.CoreV1.ListNamespacedConfigMapAsync(ns)).Items.Select(c => ($"ConfigMap {ns}/{c.Metadata.Name}", KubernetesJson.Serialize(c))));
        found.AddRange((await client.CoreV1.ListNamespacedServiceAccountAsync(ns)).Items.Select(a => ($"ServiceAccount {ns}/{a.Metadata.Name}", KubernetesJson.Serialize(a))));
        found.AddRange((await client.RbacAuthorizationV1.ListNamespacedRoleAsync(ns)).Items.Select(r => ($"Role {ns}/{r.Metadata.Name}", KubernetesJson.Serialize(r))));
        foreach (var plural in new[] { "finetunejobs", Plurals.ModelRollouts, "compressionjobs", "evaluationruns" })
        {
            var list = (JsonElement)await client.CustomObjects.ListNamespacedCustomObjectAsync(WhetstoneApi.Group, WhetstoneApi.Version, ns, plural);
            found.AddRange(list.GetProperty("items").EnumerateArray().Select(i => ($"{plural} {ns}/{i.GetProperty("metadata").GetProperty("name").GetString()}", i.GetRawText())));
        }

        return found;
    }

    /// <summary>Every file under <paramref name="root"/> as text (bytes read as Latin-1, so binary files are searched too), except database files.</summary>
    private static IEnumerable<(string Place, string Text)> Files(string root, List<string> skipped)
    {
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(file);
            if (name.Contains(".db", StringComparison.Ordinal) || name.Contains(".sqlite", StringComparison.Ordinal))
            {
                skipped.Add(file);
                continue;
            }

            string text;
            try
            {
                text = Encoding.Latin1.GetString(File.ReadAllBytes(file));
            }
            catch (IOException)
            {
                continue;
            }

            yield return (file, text);
        }
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

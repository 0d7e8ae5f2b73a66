using System.Globalization;
using System.Diagnostics;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using Whetstone.LocalCluster.Gateway;
using Whetstone.LocalCluster.Monitoring;
using Whetstone.LocalCluster.Node;
using Whetstone.Operator.Tests.Cluster;
using Whetstone.Operator.Tests.EndToEnd;

namespace Whetstone.Operator.Tests.Rollouts;

/// <summary>
/// ModelRollouts with nothing stood in: the embedded default whose worker image is the built
/// <c>whetstone-worker</c> (so track pods run the real <c>serve</c>), the gateway, Debian's Prometheus discovering the
/// pods through the API server and scraping them every second, and real models: the committed tiny model
/// (stable), its INT8 compression made here by <c>whetstone-worker compress</c> (a healthy canary), its over-pruned
/// compression made the same way (a canary that answers wrong), and a copy of
/// that compression whose tokenizer gained a special token its embedding never got (a broken canary: it loads and
/// warms up, then fails every request whose prompt holds the token: the ONNX runner refuses the id the embedding has no row for).
/// </summary>
public sealed class ServedRolloutFixture : IAsyncLifetime
{
    /// <summary>The token the broken canary's tokenizer knows and its model cannot embed.</summary>
    public const string UnembeddedToken = "<|tool|>";

    private const string WorkerImage = "whetstone-worker";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"whetstone-served-rollout-{Guid.NewGuid():N}");
    private EmbeddedDefault _cluster = null!;
    private PrometheusServer _prometheus = null!;
    private HttpRouteGateway _gateway = null!;

    public IKubernetes Client { get; private set; } = null!;

    /// <summary>The committed tiny model (served by Torch).</summary>
    public static string StableModel => Path.Combine(RepositoryPaths.Root, "examples", "models", "tiny-llama");

    /// <summary>The INT8 ONNX compression of <see cref="StableModel"/>.</summary>
    public string Int8Model { get; private set; } = "";

    /// <summary>
    /// The example prune task's output (structured 50 % of heads and channels, then INT8): its alignment passes on the
    /// support questions, where the tiny model is near chance anyway, yet it has forgotten the simple facts the stable
    /// answers (3 of the 32 fact questions right against the stable's 31, measured 2026-12-05).
    /// </summary>
    public string OverPrunedModel { get; private set; } = "";

    /// <summary><see cref="Int8Model"/> with a tokenizer that has one token more than the model's vocabulary.</summary>
    public string BrokenModel { get; private set; } = "";

    /// <summary>
    /// <see cref="StableModel"/> (Torch) with the same tokenizer defect: the Torch loader refuses it, so its pods never
    /// become ready.
    /// </summary>
    public string UnloadableModel { get; private set; } = "";

    /// <summary>How long the operator waits for canary pods (Whetstone:Operator:CanaryReadyTimeout), shorter than its default.</summary>
    public static TimeSpan CanaryReadyTimeout { get; } = TimeSpan.FromSeconds(90);

    public Uri PrometheusAddress => _prometheus.Address;

    public Uri GatewayAddress => _gateway.Address;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        var compression = CompressAsync();
        _cluster = await EmbeddedDefault.StartAsync(
            _directory,
            WorkerImage,
            new ImageCommand { FileName = RealWorkerFixture.WorkerExecutable },
            gpuSlots: 0,
            new Dictionary<string, string?>
            {
                ["Whetstone:LeaderElection:Namespace"] = "default",
                ["Whetstone:Operator:CanaryReadyTimeout"] = CanaryReadyTimeout.ToString("c", CultureInfo.InvariantCulture),
            },
            async server =>
            {
                Client = ClusterFixture.Connect(server);
                await OperatorFixture.ApplyCrdsAsync(Client);
            });
        _prometheus = await PrometheusServer.StartAsync(
            _cluster.Server.BaseAddress, Path.Combine(_directory, "cluster"),
            new PrometheusOptions { Port = 0, ScrapeInterval = TimeSpan.FromSeconds(1), StartTimeout = TimeSpan.FromSeconds(120) },
            NullLogger.Instance, CancellationToken.None);
        _gateway = await HttpRouteGateway.StartAsync(
            _cluster.Server.KubeconfigPath, new GatewayOptions { Port = 0, Seed = 17, ResyncInterval = TimeSpan.FromSeconds(2) },
            NullLoggerFactory.Instance, CancellationToken.None);
        await compression;
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _prometheus.DisposeAsync();
        Client.Dispose();
        await _cluster.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a stopping process: the temp folder is cleaned by the OS.
        }
    }

    // whetstone-worker compress on two example tasks, then the broken copies.
    private async Task CompressAsync()
    {
        Int8Model = await CompressExampleAsync("compress-tiny-int8");
        OverPrunedModel = await CompressExampleAsync("compress-tiny-prune");
        BrokenModel = await CopyWithUnembeddedTokenAsync(Int8Model, "broken-int8", ["config.json", "model.onnx", "tokenizer.json", "tokenizer_config.json"]);
        UnloadableModel = await CopyWithUnembeddedTokenAsync(StableModel, "unloadable-torch", ["config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"]);
    }

    // Runs examples/tasks/<name>.yaml with its relative paths made absolute and its output in this fixture's folder;
    // returns the model directory it published.
    private async Task<string> CompressExampleAsync(string name)
    {
        var examples = Path.Combine(RepositoryPaths.Root, "examples");
        var task = Path.Combine(_directory, name + ".yaml");
        var text = (await File.ReadAllTextAsync(Path.Combine(examples, "tasks", name + ".yaml")))
            .Replace("file://../models/tiny-llama/", new Uri(StableModel + "/").AbsoluteUri, StringComparison.Ordinal)
            .Replace("file://../datasets/", new Uri(Path.Combine(examples, "datasets") + "/").AbsoluteUri, StringComparison.Ordinal)
            .Replace("file:///tmp/whetstone-compress-out/", new Uri(Path.Combine(_directory, "compressed") + "/").AbsoluteUri, StringComparison.Ordinal);
        await File.WriteAllTextAsync(task, text);
        var start = new ProcessStartInfo(RealWorkerFixture.WorkerExecutable)
        {
            ArgumentList = { "compress", "--task", task, "--status-file", Path.Combine(_directory, name + "-status.json"), "--work-dir", Path.Combine(_directory, name + "-work") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(deadline.Token);
        var model = Path.Combine(_directory, "compressed", name, "model");
        if (process.ExitCode != 0 || !File.Exists(Path.Combine(model, "model.onnx")))
        {
            throw new InvalidOperationException($"whetstone-worker compress {name} failed ({process.ExitCode}): {await output}\n{await errors}");
        }

        return model;
    }

    // A special token added to the tokenizer without resizing the embedding: a real defect, made on a copy.
    private async Task<string> CopyWithUnembeddedTokenAsync(string model, string name, string[] files)
    {
        var copy = Path.Combine(_directory, name);
        Directory.CreateDirectory(copy);
        foreach (var file in files)
        {
            File.Copy(Path.Combine(model, file), Path.Combine(copy, file));
        }

        var tokenizerPath = Path.Combine(copy, "tokenizer.json");
        var tokenizer = JsonNode.Parse(await File.ReadAllTextAsync(tokenizerPath))!;
        var vocabulary = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(copy, "config.json")))!["vocab_size"]!.GetValue<int>();
        tokenizer["added_tokens"]!.AsArray().Add(new JsonObject
        {
            ["id"] = vocabulary, ["content"] = UnembeddedToken, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false,
            ["normalized"] = false, ["special"] = true,
        });
        await File.WriteAllTextAsync(tokenizerPath, tokenizer.ToJsonString());
        return copy;
    }
}

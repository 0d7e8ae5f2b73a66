using System.Diagnostics;
using System.Globalization;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.LocalCluster;
using Whetstone.LocalCluster.Node;

namespace Whetstone.Operator.Bench;

/// <summary>
/// One run (see README.md): the embedded API server and local node in this process, the operator in its own, a
/// burst of FineTuneJobs, and the figures.
/// </summary>
internal sealed class OperatorBenchmark(BenchOptions options)
{
    /// <summary>The User-Agent of this process's requests, so they are not counted as the operator's.</summary>
    public const string BenchAgent = "whetstone-bench";
    private const string WorkerImage = "whetstone/worker:bench";
    private const string Namespace = "bench";
    private static readonly TimeSpan TargetAllObserved = TimeSpan.FromSeconds(60);
    private const long TargetMemoryBytes = 300L * 1024 * 1024;

    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        var output = Console.Out;
        var loadBefore = LoadAverage();
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"whetstone-operator-bench-{Guid.NewGuid():N}");
        output.WriteLine($"Operator reconcile benchmark: {options.Jobs} FineTuneJobs created at once; {Environment.ProcessorCount} CPUs; load average {loadBefore}");
        output.WriteLine($"  operator workers: {options.OperatorWorkers?.ToString(CultureInfo.InvariantCulture) ?? "default"}; extra operator environment: {(options.OperatorEnvironment.Count == 0 ? "none" : string.Join(' ', options.OperatorEnvironment.Select(e => $"{e.Key}={e.Value}")))}");
        _inputs = CreateInputs(dataDirectory);
        await using var server = await LocalClusterServer.StartAsync(new LocalClusterOptions { DataDirectory = dataDirectory }, cancellationToken);
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(server.KubeconfigPath), new UserAgentHandler(BenchAgent));
        await InstallCrdsAsync(client, cancellationToken);
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } }, cancellationToken: cancellationToken);
        await using var node = await LocalNode.StartAsync(
            new LocalNodeOptions
            {
                DataDirectory = dataDirectory,
                Cpu = "64",
                Memory = "256Gi",
                MaxPods = options.Jobs + 50,
                // The worker image is a real command that finishes at once: the figures are the operator's.
                Images = new Dictionary<string, ImageCommand> { [WorkerImage] = new() { FileName = "/bin/sh", Args = ["-c", "exit 0"] } },
            },
            server.KubeconfigPath,
            NullLoggerFactory.Instance,
            cancellationToken);
        var tracker = new JobTracker(client, Namespace);
        using var stopTracking = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await tracker.StartAsync(stopTracking.Token);

        var op = await OperatorProcess.StartAsync(server.KubeconfigPath, WorkerImage, options.OperatorWorkers, options.OperatorEnvironment, cancellationToken);
        var idleRss = op.RssBytes;
        var start = server.Requests.Snapshot();

        // 1. Create every job at once (bounded only by the client's concurrency), then wait until each is observed and has its pod.
        var t0 = Stopwatch.GetTimestamp();
        await CreateJobsAsync(client, tracker, cancellationToken);
        var createSeconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        var allObserved = await WaitAsync(() => tracker.Observed >= options.Jobs && tracker.WithPod >= options.Jobs, options.Timeout, cancellationToken);
        var observedAt = allObserved ? Stopwatch.GetElapsedTime(t0, tracker.LastObservedWithPod()) : (TimeSpan?)null;
        var phase1 = RequestTally.Between(start, server.Requests.Snapshot());
        var phase1Reconciles = await op.ScrapeAsync("whetstone_reconciles_total", cancellationToken);
        var phase1PeakRss = op.PeakRssBytes;
        var latencies = tracker.Latencies();
        output.WriteLine($"  created {options.Jobs} jobs in {createSeconds:F1} s; {tracker.Observed} observed, {tracker.WithPod} with a pod" +
            (observedAt is { } o ? $"; the last at {o.TotalSeconds:F1} s" : " (timed out)"));

        // 2. Let every worker finish and the operator settle.
        var allFinished = await WaitAsync(() => tracker.Finished >= options.Jobs, options.Timeout, cancellationToken);
        var finishedAt = allFinished ? Stopwatch.GetElapsedTime(t0, tracker.LastFinished()) : (TimeSpan?)null;
        await WaitUntilOperatorQuietAsync(server, cancellationToken);
        var settled = server.Requests.Snapshot();
        var toSteady = RequestTally.Between(start, settled);
        var reconcilesToSteady = await op.ScrapeAsync("whetstone_reconciles_total", cancellationToken);
        var conflictsToSteady = await op.ScrapeAsync("whetstone_reconciles_total", cancellationToken, "result=\"conflict\"");
        var steadyRss = op.RssBytes;
        var peakRss = op.PeakRssBytes;
        output.WriteLine($"  finished: {string.Join(", ", tracker.Phases.Select(p => $"{p.Value} {p.Key}"))}" + (finishedAt is { } f ? $" at {f.TotalSeconds:F1} s" : " (timed out)"));

        // 3. Nothing changes any more: force a reconcile of every job twice (an unrelated annotation; a restarted operator) and count writes.
        var touchReconciles = await TouchEveryJobAsync(client, op, reconcilesToSteady, cancellationToken);
        await WaitUntilOperatorQuietAsync(server, cancellationToken);
        await op.DisposeAsync();
        await using var restarted = await OperatorProcess.StartAsync(server.KubeconfigPath, WorkerImage, options.OperatorWorkers, options.OperatorEnvironment, cancellationToken);
        await WaitAsync(async () => await restarted.ScrapeAsync("whetstone_reconciles_total", cancellationToken) >= options.Jobs, TimeSpan.FromMinutes(5), cancellationToken);
        var restartReconciles = await restarted.ScrapeAsync("whetstone_reconciles_total", cancellationToken);
        await WaitUntilOperatorQuietAsync(server, cancellationToken);
        var steadyWindow = RequestTally.Between(settled, server.Requests.Snapshot());
        var loadAfter = LoadAverage();
        await stopTracking.CancelAsync();

        BenchReport.Write(output, new BenchReport.Figures(
            options.Jobs, loadBefore, loadAfter, createSeconds, observedAt, finishedAt, latencies,
            phase1, phase1Reconciles, toSteady, reconcilesToSteady, conflictsToSteady,
            idleRss, phase1PeakRss, peakRss, steadyRss,
            touchReconciles, restartReconciles, steadyWindow,
            TargetAllObserved, TargetMemoryBytes));
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A log file still held by a dying process: the temp folder is cleaned by the OS.
        }

        return 0;
    }

    private async Task CreateJobsAsync(IKubernetes client, JobTracker tracker, CancellationToken cancellationToken)
    {
        using var gate = new SemaphoreSlim(options.CreateConcurrency);
        var creates = Enumerable.Range(1, options.Jobs).Select(async i =>
        {
            var name = $"bench-{i.ToString("D5", CultureInfo.InvariantCulture)}";
            await gate.WaitAsync(cancellationToken);
            try
            {
                tracker.NoteCreating(name);
                await client.CustomObjects.CreateNamespacedCustomObjectAsync(Job(name), WhetstoneApi.Group, WhetstoneApi.Version, Namespace, Plurals.FineTuneJobs, cancellationToken: cancellationToken);
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(creates);
    }

    private async Task<double> TouchEveryJobAsync(IKubernetes client, OperatorProcess op, double reconcilesBefore, CancellationToken cancellationToken)
    {
        using var gate = new SemaphoreSlim(options.CreateConcurrency);
        var patch = new V1Patch("""{"metadata":{"annotations":{"example.com/touched":"yes"}}}""", V1Patch.PatchType.MergePatch);
        await Task.WhenAll(Enumerable.Range(1, options.Jobs).Select(async i =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                await client.CustomObjects.PatchNamespacedCustomObjectAsync(
                    patch, WhetstoneApi.Group, WhetstoneApi.Version, Namespace, Plurals.FineTuneJobs, $"bench-{i.ToString("D5", CultureInfo.InvariantCulture)}", cancellationToken: cancellationToken);
            }
            finally
            {
                gate.Release();
            }
        }));
        await WaitAsync(async () => await op.ScrapeAsync("whetstone_reconciles_total", cancellationToken) >= reconcilesBefore + options.Jobs, TimeSpan.FromMinutes(5), cancellationToken);
        return await op.ScrapeAsync("whetstone_reconciles_total", cancellationToken) - reconcilesBefore;
    }

    private string _inputs = "";

    /// <summary>
    /// A plain model directory, a dataset file and an output folder that every job names, so the operator's preflight
    /// (model and dataset readable, output writable) passes and is part of what is measured.
    /// </summary>
    private static string CreateInputs(string dataDirectory)
    {
        var root = Path.Combine(dataDirectory, "inputs");
        Directory.CreateDirectory(Path.Combine(root, "models", "tiny"));
        File.WriteAllText(Path.Combine(root, "models", "tiny", "config.json"), """{"model_type": "llama"}""");
        File.WriteAllText(Path.Combine(root, "models", "tiny", "tokenizer.json"), """{"model": {"type": "BPE"}}""");
        File.WriteAllText(Path.Combine(root, "models", "tiny", "model.safetensors"), "weights");
        Directory.CreateDirectory(Path.Combine(root, "data"));
        File.WriteAllText(Path.Combine(root, "data", "support.jsonl"), """{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}""" + "\n");
        Directory.CreateDirectory(Path.Combine(root, "out"));
        return root;
    }

    private FineTuneJob Job(string name) => new()
    {
        ApiVersion = $"{WhetstoneApi.Group}/{WhetstoneApi.Version}",
        Kind = Kinds.FineTuneJob,
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
        Spec = new FineTuneJobSpec
        {
            BaseModel = new ModelSource { Uri = new Uri(Path.Combine(_inputs, "models", "tiny") + "/").AbsoluteUri },
            Dataset = new FineTuneDataset { Uri = new Uri(Path.Combine(_inputs, "data", "support.jsonl")).AbsoluteUri, Format = "chat" },
            Output = new OutputLocation { Uri = new Uri(Path.Combine(_inputs, "out") + "/").AbsoluteUri },
        },
    };

    internal static async Task InstallCrdsAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        var directory = RepositoryCrds();
        foreach (var file in Directory.GetFiles(directory, "*.yaml").Order(StringComparer.Ordinal))
        {
            var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(file, cancellationToken));
            await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd, cancellationToken: cancellationToken);
        }

        await WaitAsync(async () =>
        {
            var crds = await client.ApiextensionsV1.ListCustomResourceDefinitionAsync(cancellationToken: cancellationToken);
            return crds.Items.All(c => c.Status?.Conditions?.Any(x => x is { Type: "Established", Status: "True" }) == true);
        }, TimeSpan.FromSeconds(60), cancellationToken);
    }

    private static string RepositoryCrds()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Operator.sln")))
            {
                return Path.Combine(directory.FullName, "crds");
            }
        }

        throw new DirectoryNotFoundException($"no Operator.sln above {AppContext.BaseDirectory}: run the benchmark from its build output in the repository");
    }

    /// <summary>Waits until the operator has made no write for three seconds.</summary>
    private static async Task WaitUntilOperatorQuietAsync(LocalClusterServer server, CancellationToken cancellationToken)
    {
        long Writes() => RequestTally.Between(new Dictionary<ApiRequestKind, long>(), server.Requests.Snapshot()).Writes;
        var last = Writes();
        var quietSince = Stopwatch.GetTimestamp();
        await WaitAsync(() =>
        {
            var now = Writes();
            if (now != last)
            {
                (last, quietSince) = (now, Stopwatch.GetTimestamp());
            }

            return Stopwatch.GetElapsedTime(quietSince) > TimeSpan.FromSeconds(3);
        }, TimeSpan.FromMinutes(5), cancellationToken);
    }

    internal static Task<bool> WaitAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitAsync(() => Task.FromResult(condition()), timeout, cancellationToken);

    internal static async Task<bool> WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!await condition())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            await Task.Delay(100, cancellationToken);
        }

        return true;
    }

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Whetstone.Reliability.Tests.Cluster;

namespace Whetstone.Reliability.Tests.Operators;

/// <summary>
/// One operator replica: the <c>whetstone-operator</c> executable as its own OS process against a kubeconfig, with
/// leader election on a named Lease, JSON logs (every reconcile logged at Debug with its outcome and duration, so its
/// timestamps prove who reconciled when) and its own <c>/metrics</c>. It can be killed (SIGKILL), paused (SIGSTOP) and
/// resumed (SIGCONT) as a crashed or cut-off replica would be.
/// </summary>
public sealed partial class OperatorReplica : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private bool _disposed;

    private OperatorReplica(Process process, string identity, Uri address)
    {
        _process = process;
        Identity = identity;
        Address = address;
    }

    /// <summary>The replica's identity in the Lease.</summary>
    public string Identity { get; }

    /// <summary>Where <c>/readyz</c> and <c>/metrics</c> are served.</summary>
    public Uri Address { get; }

    /// <summary>
    /// Starts a replica competing for <paramref name="lease"/> in <c>default</c> with the given timings;
    /// <paramref name="overrides"/> replace or add configuration keys (<c>Whetstone:Workers:Image</c>, …).
    /// </summary>
    public static OperatorReplica Start(string kubeconfig, string identity, string lease, LeaseTimings timings, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "whetstone-operator.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Whetstone:Operator:Kubeconfig"] = kubeconfig,
            ["Whetstone:Operator:LogFormat"] = "json",
            ["Whetstone:Workers:Image"] = ControlPlane.WorkerImage,
            ["Whetstone:Workers:ArtifactStoreSecretName"] = "",
            ["Whetstone:Workers:TerminationGracePeriodSeconds"] = "5",
            ["Whetstone:LeaderElection:Namespace"] = "default",
            ["Whetstone:LeaderElection:LeaseName"] = lease,
            ["Whetstone:LeaderElection:Identity"] = identity,
            ["Whetstone:LeaderElection:LeaseDuration"] = timings.LeaseDuration.ToString("c", CultureInfo.InvariantCulture),
            ["Whetstone:LeaderElection:RenewDeadline"] = timings.RenewDeadline.ToString("c", CultureInfo.InvariantCulture),
            ["Whetstone:LeaderElection:RetryPeriod"] = timings.RetryPeriod.ToString("c", CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Whetstone.Operator.Controller"] = "Debug",
            ["Logging:LogLevel:Whetstone.Operator.Runtime.Leadership"] = "Information",
        };
        // No inotify watch on the configuration files: the machine's limit (128 per user) is shared with every other
        // process, and the suite starts dozens of operator processes.
        start.Environment["DOTNET_hostBuilder__reloadConfigOnChange"] = "false";
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start)!;
        var replica = new OperatorReplica(process, identity, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, line) => replica.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => replica.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return replica;
    }

    /// <summary>SIGKILL: the process ends at once, without releasing the Lease.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGSTOP: the process stops running (its clocks do not), as a replica cut off from the network.</summary>
    public Task PauseAsync() => SignalAsync("STOP");

    /// <summary>SIGCONT: the paused process runs again.</summary>
    public Task ResumeAsync() => SignalAsync("CONT");

    /// <summary>Stops the process as the kubelet does (SIGTERM), waiting for a clean exit (so its logs are flushed).</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        await SignalAsync("TERM");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>Reconciles this replica ran so far by <c>whetstone_reconciles_total</c> (all kinds and results), or null when it does not answer.</summary>
    public async Task<double?> ReconcilesAsync()
    {
        var metrics = await MetricsAsync();
        return metrics is null
            ? null
            : metrics.Split('\n').Where(l => l.StartsWith("whetstone_reconciles_total{", StringComparison.Ordinal))
                .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    /// <summary>The <c>whetstone_leader</c> gauge (1 leader, 0 standby), or null when it does not answer.</summary>
    public async Task<int?> LeaderGaugeAsync()
    {
        var metrics = await MetricsAsync();
        var line = metrics?.Split('\n').FirstOrDefault(l => l.StartsWith("whetstone_leader ", StringComparison.Ordinal) || l.StartsWith("whetstone_leader{", StringComparison.Ordinal));
        return line is null ? null : (int)double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }

    /// <summary>Every reconcile this replica logged, in order (complete once the process has stopped).</summary>
    public IReadOnlyList<ReconcileRecord> Reconciles() =>
        [.. LogLines().Select(ParseReconcile).OfType<ReconcileRecord>()];

    /// <summary>When this replica logged that it became the leader (each time), in order.</summary>
    public IReadOnlyList<DateTime> BecameLeaderAt() =>
        [.. LogLines().Where(l => l.Message.Contains("became the leader", StringComparison.Ordinal)).Select(l => l.Timestamp)];

    /// <summary>When this replica logged a line whose message contains <paramref name="text"/>, with the message, in order.</summary>
    public IReadOnlyList<(DateTime Timestamp, string Message)> Logged(string text) =>
        [.. LogLines().Where(l => l.Message.Contains(text, StringComparison.Ordinal))];

    /// <summary>Lines whose message contains <paramref name="text"/>.</summary>
    public int CountLogLines(string text) => LogLines().Count(l => l.Message.Contains(text, StringComparison.Ordinal));

    /// <summary>Every line the process wrote so far (standard output and error).</summary>
    public IReadOnlyList<string> Output() => [.. _output];

    /// <summary>The process's resident memory (VmRSS) in MiB, or null once it has exited.</summary>
    public double? ResidentMegabytes()
    {
        try
        {
            var line = File.ReadLines($"/proc/{_process.Id.ToString(CultureInfo.InvariantCulture)}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? null : double.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The last <paramref name="lines"/> lines of output, for failure messages.</summary>
    public string Tail(int lines = 30) => string.Join('\n', _output.TakeLast(lines));

    private IEnumerable<(DateTime Timestamp, string Message)> LogLines()
    {
        foreach (var line in _output)
        {
            if (!line.StartsWith('{'))
            {
                continue;
            }

            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            if (root.TryGetProperty("Timestamp", out var stamp) && root.TryGetProperty("Message", out var message))
            {
                yield return (DateTime.Parse(stamp.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), message.GetString() ?? "");
            }
        }
    }

    private static ReconcileRecord? ParseReconcile((DateTime Timestamp, string Message) line)
    {
        var match = ReconcileLine().Match(line.Message);
        return match.Success
            ? new ReconcileRecord(match.Groups["object"].Value, match.Groups["outcome"].Value,
                line.Timestamp - TimeSpan.FromMilliseconds(long.Parse(match.Groups["ms"].Value, CultureInfo.InvariantCulture)), line.Timestamp)
            : null;
    }

    private async Task<string?> MetricsAsync()
    {
        try
        {
            return await _http.GetStringAsync(new Uri(Address, "/metrics"));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"^(?<object>\S+): reconcile (?<outcome>\w+) in (?<ms>\d+) ms$")]
    private static partial Regex ReconcileLine();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            await ResumeAsync();
        }

        await StopAsync();
        if (Environment.GetEnvironmentVariable("WHETSTONE_RELIABILITY_LOGS") is { Length: > 0 } folder)
        {
            // Kept for a person reading why a fault went as it did.
            Directory.CreateDirectory(folder);
            await File.WriteAllLinesAsync(Path.Combine(folder, $"operator-{Identity}-{_process.Id}.log"), _output);
        }

        _process.Dispose();
        _http.Dispose();
    }
}

/// <summary>One reconcile as its replica logged it: the object, the outcome and when it ran.</summary>
public sealed record ReconcileRecord(string Object, string Outcome, DateTime Started, DateTime Ended);

/// <summary>The leader-election timings both replicas use.</summary>
public sealed record LeaseTimings(TimeSpan LeaseDuration, TimeSpan RenewDeadline, TimeSpan RetryPeriod);

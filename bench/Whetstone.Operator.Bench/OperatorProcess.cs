using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Whetstone.Operator.Bench;

/// <summary>
/// The operator as its own process (<c>dotnet whetstone-operator.dll</c>, configured as in a cluster but with the
/// embedded server's kubeconfig), with its resident memory sampled from /proc and its Prometheus metrics read over
/// HTTP.
/// </summary>
internal sealed class OperatorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stopSampling = new();
    private readonly Task _sampling;
    private long _peakRssBytes;

    private OperatorProcess(Process process, Uri metricsAddress)
    {
        _process = process;
        _http = new HttpClient { BaseAddress = metricsAddress, Timeout = TimeSpan.FromSeconds(30) };
        _sampling = SampleMemoryAsync(_stopSampling.Token);
    }

    public int ProcessId => _process.Id;

    /// <summary>The highest resident set size seen by sampling (every 100 ms) or by the kernel's high-water mark.</summary>
    public long PeakRssBytes => Math.Max(Interlocked.Read(ref _peakRssBytes), ReadStatusKilobytes("VmHWM") * 1024);

    public long RssBytes => ReadStatusKilobytes("VmRSS") * 1024;

    public static async Task<OperatorProcess> StartAsync(string kubeconfig, string workerImage, int? workers, IReadOnlyDictionary<string, string> extraEnvironment, CancellationToken cancellationToken)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "whetstone-operator.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"the operator is not next to the benchmark: {dll} (build bench/Whetstone.Operator.Bench)");
        }

        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        var settings = new Dictionary<string, string>
        {
            ["urls"] = $"http://127.0.0.1:{port}",
            ["Whetstone__Operator__Kubeconfig"] = kubeconfig,
            // One replica: no Lease renewals among the counted requests.
            ["Whetstone__Operator__LeaderElection"] = "false",
            ["Whetstone__Workers__Image"] = workerImage,
            ["Whetstone__Workers__ArtifactStoreSecretName"] = "",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        if (workers is { } w)
        {
            settings["Whetstone__Operator__Workers"] = w.ToString(CultureInfo.InvariantCulture);
        }

        foreach (var (key, value) in settings.Concat(extraEnvironment))
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        process.OutputDataReceived += (_, e) => Echo(e.Data);
        process.ErrorDataReceived += (_, e) => Echo(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = new OperatorProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        await started.WaitReadyAsync(cancellationToken);
        return started;
    }

    /// <summary>Sums the samples of a Prometheus counter or gauge whose labels contain <paramref name="label"/> (all when null).</summary>
    public async Task<double> ScrapeAsync(string metric, CancellationToken cancellationToken, string? label = null)
    {
        var text = await _http.GetStringAsync(new Uri("metrics", UriKind.Relative), cancellationToken);
        var total = 0.0;
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(metric, StringComparison.Ordinal) || line.Length <= metric.Length || line[metric.Length] is not ('{' or ' ')
                || (label is not null && !line.Contains(label, StringComparison.Ordinal)))
            {
                continue;
            }

            var value = line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0];
            total += double.Parse(value, CultureInfo.InvariantCulture);
        }

        return total;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopSampling.CancelAsync();
        await _sampling;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _http.Dispose();
        _stopSampling.Dispose();
    }

    private static void Echo(string? line)
    {
        if (!string.IsNullOrEmpty(line))
        {
            Console.Error.WriteLine($"  [operator] {line}");
        }
    }

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the operator exited with code {_process.ExitCode} before it was ready");
            }

            try
            {
                using var response = await _http.GetAsync(new Uri("readyz", UriKind.Relative), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the operator did not become ready within 120 s");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private async Task SampleMemoryAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var rss = RssBytes;
                if (rss > Interlocked.Read(ref _peakRssBytes))
                {
                    Interlocked.Exchange(ref _peakRssBytes, rss);
                }

                await Task.Delay(100, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private long ReadStatusKilobytes(string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                {
                    return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // The process has exited.
        }

        return 0;
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

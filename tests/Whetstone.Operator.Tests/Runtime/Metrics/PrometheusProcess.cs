using System.Diagnostics;
using System.Text.Json.Nodes;
using Whetstone.Operator.Tests.Cluster;

namespace Whetstone.Operator.Tests.Runtime.Metrics;

/// <summary>Debian's Prometheus as a local process scraping one target every two seconds (a one-second scrape budget is lost on a loaded machine), and its HTTP query API.</summary>
public sealed class PrometheusProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly HttpClient _http;

    private PrometheusProcess(Process process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Starts Prometheus scraping <paramref name="target"/> (host:port) at <c>/metrics</c>.</summary>
    public static PrometheusProcess Start(string target)
    {
        var directory = Directory.CreateTempSubdirectory("whetstone-prometheus-").FullName;
        var config = Path.Combine(directory, "prometheus.yml");
        File.WriteAllText(config, $$"""
            global: {scrape_interval: 2s, scrape_timeout: 2s, evaluation_interval: 2s}
            scrape_configs:
              - job_name: whetstone-operator
                static_configs: [{targets: ["{{target}}"]}]
            """);
        var port = ClusterFixture.FreePort();
        var start = new ProcessStartInfo("prometheus",
        [
            $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new PrometheusProcess(process, directory, new Uri($"http://127.0.0.1:{port}/"));
    }

    /// <summary>Where its HTTP API listens.</summary>
    public Uri Address => _http.BaseAddress!;

    /// <summary>Runs an instant query; the whole API response (status, data or error).</summary>
    public async Task<JsonNode> QueryAsync(string query)
    {
        using var response = await _http.GetAsync($"api/v1/query?query={Uri.EscapeDataString(query)}");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>Any GET of its HTTP API (a path relative to its address), as JSON.</summary>
    public async Task<JsonNode> QueryApiAsync(string path) => JsonNode.Parse(await _http.GetStringAsync(path))!;

    /// <summary>Every metric name Prometheus has stored.</summary>
    public async Task<IReadOnlySet<string>> MetricNamesAsync()
    {
        var body = JsonNode.Parse(await _http.GetStringAsync("api/v1/label/__name__/values"))!;
        return body["data"]!.AsArray().Select(n => (string)n!).ToHashSet(StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Prometheus may still hold a file for a moment: the temp folder is cleaned by the OS.
        }
    }
}

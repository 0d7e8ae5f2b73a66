using System.Diagnostics;

namespace Whetstone.Operator.Bench;

/// <summary>Debian's Prometheus scraping one static target every second, in its own process.</summary>
internal sealed class PrometheusProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private PrometheusProcess(Process process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<PrometheusProcess> StartAsync(string target, int port, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("whetstone-bench-prometheus-").FullName;
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $$"""
            global: {scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s}
            scrape_configs:
              - job_name: bench
                static_configs: [{targets: ["{{target}}"]}]
            """, cancellationToken);
        var start = new ProcessStartInfo("prometheus")
        {
            ArgumentList = { $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}", $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn" },
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start prometheus (Debian package prometheus)");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = new PrometheusProcess(process, directory, new Uri($"http://127.0.0.1:{port}/"));
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                using var ready = await http.GetAsync(new Uri(started.Address, "-/ready"), cancellationToken);
                if (ready.IsSuccessStatusCode)
                {
                    return started;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException("Prometheus did not become ready within 60 s");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
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
            // A file still held for a moment: the temp folder is cleaned by the OS.
        }
    }
}

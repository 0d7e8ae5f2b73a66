using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Whetstone.LocalCluster.Monitoring;

/// <summary>
/// A Prometheus process for the embedded cluster: configuration from <see cref="PrometheusConfig"/>, data and
/// log under <c>&lt;data&gt;/prometheus</c>, listening on 127.0.0.1. Disposing stops it (SIGTERM, then SIGKILL).
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;

    private readonly string _logFile;

    private PrometheusServer(Process process, Uri address, string logFile)
    {
        _process = process;
        Address = address;
        _logFile = logFile;
    }

    /// <summary>Where Prometheus answers, e.g. http://127.0.0.1:9090/.</summary>
    public Uri Address { get; }

    /// <summary>The Prometheus process's id (fault-injection tests kill it outright).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Writes the configuration, starts Prometheus and waits until it reports ready.</summary>
    /// <param name="apiServer">The embedded API server's address.</param>
    /// <param name="dataDirectory">The cluster's data directory (its <c>ca.crt</c> and <c>token</c> are what Prometheus authenticates with).</param>
    /// <param name="options">Executable, port and intervals.</param>
    /// <param name="logger">Where the address and failures are logged.</param>
    /// <param name="ct">Cancels the wait for readiness.</param>
    public static async Task<PrometheusServer> StartAsync(Uri apiServer, string dataDirectory, PrometheusOptions options, ILogger logger, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var home = Path.Combine(Path.GetFullPath(dataDirectory), "prometheus");
        Directory.CreateDirectory(home);
        var configFile = Path.Combine(home, "prometheus.yml");
        await File.WriteAllTextAsync(configFile, PrometheusConfig.Build(
            apiServer, Path.Combine(dataDirectory, "ca.crt"), Path.Combine(dataDirectory, "token"), options.ScrapeInterval, [.. options.StaticTargets]), ct).ConfigureAwait(false);
        var port = options.Port == 0 ? FreeLoopbackPort() : options.Port;
        var info = new ProcessStartInfo(options.Executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = home,
        };
        foreach (var argument in new[]
        {
            $"--config.file={configFile}", $"--storage.tsdb.path={Path.Combine(home, "data")}",
            $"--web.listen-address=127.0.0.1:{port}", "--web.enable-lifecycle",
        })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {options.Executable}");
        var logFile = Path.Combine(home, "prometheus.log");
        var log = new StreamWriter(new FileStream(logFile, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        process.OutputDataReceived += (_, line) => WriteLine(log, line.Data);
        process.ErrorDataReceived += (_, line) => WriteLine(log, line.Data);
        process.Exited += (_, _) => log.Dispose();
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusServer(process, new Uri($"http://127.0.0.1:{port}/"), logFile);
        try
        {
            await server.WaitUntilReadyAsync(options.StartTimeout, ct).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        logger.LogInformation("Prometheus at {Address} (config {Config}, log {Log})", server.Address, configFile, logFile);
        return server;
    }

    private static void WriteLine(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // The process ended and its log was closed.
            }
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(ct).ConfigureAwait(false);
                throw new InvalidOperationException($"prometheus exited with code {_process.ExitCode}: {Node.Kubelet.ContainerLog.ReadTail(_logFile, maxLines: 5, maxBytes: 2048)}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Address, "/-/ready"), ct).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                // Not listening yet.
            }

            await Task.Delay(200, ct).ConfigureAwait(false);
        }

        throw new TimeoutException($"prometheus was not ready at {Address} within {timeout.TotalSeconds:0} s");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Stops Prometheus: <c>POST /-/quit</c> (a clean shutdown), up to 10 s, then SIGKILL.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };
                using var quit = await http.PostAsync(new Uri(Address, "/-/quit"), null, grace.Token).ConfigureAwait(false);
                await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (HttpRequestException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        _process.Dispose();
    }
}

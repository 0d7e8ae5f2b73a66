using System.Collections.Concurrent;
using System.Diagnostics;
using Whetstone.Operator.Tests.Cluster;

namespace Whetstone.Operator.Tests.Hosting;

/// <summary>
/// The operator executable as its own process, configured by environment variables as the chart configures it. Two of
/// them are two replicas: separate processes, so each serves only its own <c>/metrics</c>.
/// </summary>
public sealed class OperatorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private bool _disposed;

    private OperatorProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    /// <summary>Where <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c> are served.</summary>
    public Uri Address { get; }

    /// <summary>The lines the process has written so far (standard output and error, in arrival order).</summary>
    public IReadOnlyList<string> Output => [.. _output];

    /// <summary>Starts <c>whetstone-operator</c> from the test's output folder with the given settings (configuration keys).</summary>
    public static OperatorProcess Start(string kubeconfig, IReadOnlyDictionary<string, string> settings)
    {
        var port = ClusterFixture.FreePort();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "whetstone-operator.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Whetstone__Operator__Kubeconfig"] = kubeconfig;
        start.Environment["Whetstone__Workers__ArtifactStoreSecretName"] = "";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start)!;
        var operatorProcess = new OperatorProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, line) => operatorProcess.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => operatorProcess.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return operatorProcess;
    }

    /// <summary>Stops the process the way the kubelet does (SIGTERM), waiting for a clean exit.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await StopAsync();
        _process.Dispose();
    }
}

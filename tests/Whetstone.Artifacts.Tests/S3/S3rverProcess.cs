using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Whetstone.Artifacts.Tests.S3;

/// <summary>
/// s3rver (a real S3-protocol server, installed by scripts/setup.d/30-s3rver.sh) as a local process on a free port
/// with a throwaway data directory; it can be stopped and started again on the same port and data. Shared by the
/// tests' fixture and the benchmark.
/// </summary>
public sealed class S3rverProcess : IAsyncDisposable
{
    private Process? _server;

    public int Port { get; } = FreePort();

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("whetstone-s3rver-").FullName;

    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>The server's process id while it runs (for tests that pause it with SIGSTOP).</summary>
    public int? ProcessId => _server is { HasExited: false } server ? server.Id : null;

    public async Task StartAsync()
    {
        var script = Path.Combine(ToolsDirectory(), "s3rver", "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"s3rver is not installed at {script}: run scripts/setup.sh (scripts/setup.d/30-s3rver.sh)");
        }

        var start = new ProcessStartInfo("node")
        {
            // s3rver's list continuation tokens use DES, which OpenSSL 3 (Node 17+) only offers through its legacy provider.
            ArgumentList =
            {
                "--openssl-legacy-provider", script, "--directory", DataDirectory, "--address", "127.0.0.1",
                "--port", Port.ToString(CultureInfo.InvariantCulture), "--silent", "--no-vhost-buckets",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _server = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        _server.OutputDataReceived += (_, _) => { };
        _server.ErrorDataReceived += (_, _) => { };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await IsListeningAsync())
        {
            if (_server.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"s3rver did not start listening on port {Port} (exited: {_server.HasExited})");
            }

            await Task.Delay(100);
        }
    }

    public async Task StopAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }

        _server?.Dispose();
        _server = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<bool> IsListeningAsync()
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string ToolsDirectory()
    {
        if (Environment.GetEnvironmentVariable("WHETSTONE_TOOLS") is { Length: > 0 } tools)
        {
            return tools;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Operator.sln")))
            {
                return Path.Combine(dir.FullName, ".tools");
            }
        }

        throw new InvalidOperationException("cannot find the repository root (Operator.sln) to locate .tools; set WHETSTONE_TOOLS");
    }
}

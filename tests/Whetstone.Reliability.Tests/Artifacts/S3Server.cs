using System.Diagnostics;
using System.Globalization;
using Whetstone.Artifacts;
using Whetstone.Artifacts.S3;
using Whetstone.Artifacts.Tests.S3;

namespace Whetstone.Reliability.Tests.Artifacts;

/// <summary>
/// A real S3 server (s3rver, as its own process) that a test can kill (SIGKILL), pause (SIGSTOP) and start again on
/// the same port and data, with stores whose retry bound is known: 8 retries, 200 ms doubling to at most 3 s (about
/// 15-20 s in all, with jitter).
/// </summary>
public sealed class S3Server : IAsyncLifetime
{
    /// <summary>The bucket every store writes to.</summary>
    public const string Bucket = "whetstone-reliability";

    private readonly S3rverProcess _server = new();

    /// <summary>The server's address.</summary>
    public string Endpoint => _server.Endpoint;

    /// <summary>Where the server keeps its buckets and objects (every byte a client stored).</summary>
    public string DataDirectory => _server.DataDirectory;

    /// <summary>Store options with the retry bound the tests rely on.</summary>
    public ArtifactStoreOptions Options(int maxRetryAttempts = 8) => new()
    {
        Endpoint = _server.Endpoint,
        AccessKey = "S3RVER",
        SecretKey = "S3RVER",
        CreateBucketIfMissing = true,
        MaxRetryAttempts = maxRetryAttempts,
        RetryBaseDelay = TimeSpan.FromMilliseconds(200),
        RetryMaxDelay = TimeSpan.FromSeconds(3),
        RequestTimeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>A store on a fresh prefix.</summary>
    public S3ArtifactStore CreateStore(ArtifactStoreOptions? options = null) =>
        (S3ArtifactStore)ArtifactStoreFactory.Create($"s3://{Bucket}/r-{Guid.NewGuid():N}/", options ?? Options());

    /// <summary>SIGKILL: the server is gone at once (connections reset, then refused).</summary>
    public Task KillAsync() => _server.StopAsync();

    /// <summary>Starts the server again on the same port and data directory.</summary>
    public Task StartAsync() => _server.StartAsync();

    /// <summary>SIGSTOP: the server stops answering; connections stay open.</summary>
    public Task PauseAsync() => SignalAsync("STOP");

    /// <summary>SIGCONT: the paused server answers again.</summary>
    public Task ResumeAsync() => SignalAsync("CONT");

    /// <inheritdoc />
    public Task InitializeAsync() => _server.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server.ProcessId is not null)
        {
            await ResumeAsync();
        }

        await _server.DisposeAsync();
    }

    private async Task SignalAsync(string signal)
    {
        var pid = _server.ProcessId ?? throw new InvalidOperationException("s3rver is not running");
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Whetstone.Operator.Tests.Cluster;

namespace Whetstone.Operator.Tests.Rollouts.Analysis;

/// <summary>
/// A tiny HTTP server on loopback that serves a fixed Prometheus exposition text at <c>/metrics</c> (changeable between
/// scrapes), so a real Prometheus has known series to answer analysis queries from.
/// </summary>
public sealed class FixedExporter : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile string _text;

    private FixedExporter(WebApplication app, string text, string target)
    {
        _app = app;
        _text = text;
        Target = target;
    }

    /// <summary>host:port for a scrape config.</summary>
    public string Target { get; }

    /// <summary>Starts serving <paramref name="text"/>.</summary>
    public static async Task<FixedExporter> StartAsync(string text)
    {
        var port = ClusterFixture.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        FixedExporter? exporter = null;
        app.MapGet("/metrics", () => Results.Text(exporter!._text, "text/plain; version=0.0.4"));
        exporter = new FixedExporter(app, text, $"127.0.0.1:{port}");
        await app.StartAsync();
        return exporter;
    }

    /// <summary>Serves <paramref name="text"/> from the next scrape on.</summary>
    public void Serve(string text) => _text = text;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

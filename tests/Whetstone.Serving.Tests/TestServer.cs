using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Whetstone.ModelRuntime;

namespace Whetstone.Serving.Tests;

/// <summary>A server on a free loopback port with its own meter, and an HTTP client for it.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private TestServer(ServingServer server)
    {
        Server = server;
        Http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public ServingServer Server { get; }

    public HttpClient Http { get; }

    public static Task<TestServer> StartAsync(Func<IModelRunner> load, ServingOptions? options = null, string track = "stable", string version = "1.0.0") =>
        StartAsync(_ => Task.FromResult(load()), options, track, version);

    public static async Task<TestServer> StartAsync(Func<CancellationToken, Task<IModelRunner>> load, ServingOptions? options = null, string track = "stable", string version = "1.0.0")
    {
        options = (options ?? new ServingOptions()) with { Host = "127.0.0.1", Port = 0, MeterName = "Whetstone.Serving.Test." + Guid.NewGuid().ToString("N") };
        var server = await ServingServer.StartAsync(options, new ServingIdentity("demo", track, version),
            ct => Task.Run(() => load(ct), ct), NullLoggerFactory.Instance, CancellationToken.None);
        return new TestServer(server);
    }

    public async Task<TestServer> ReadyAsync()
    {
        await Server.Loading.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(ReadinessState.Ready, Server.State);
        return this;
    }

    public Task<HttpResponseMessage> PostAsync(string path, JsonNode body, CancellationToken cancellationToken = default) =>
        Http.PostAsJsonAsync(path, body, cancellationToken);

    /// <summary>The value of one sample in <c>/metrics</c>, matched by name and label fragments; null when absent.</summary>
    public async Task<double?> MetricAsync(string name, params string[] labels)
    {
        var text = await Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(name + "{", StringComparison.Ordinal) && labels.All(label => line.Contains(label, StringComparison.Ordinal)))
            {
                return double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}

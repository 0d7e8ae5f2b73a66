using System.Net;

namespace Whetstone.LocalCluster.Tests.Api;

/// <summary>
/// /readyz, /livez and /healthz report what the server can really do: they fail while the database cannot be
/// reached for a write (here: another writer holds it), and list their checks with ?verbose as kube-apiserver does.
/// </summary>
public sealed class HealthEndpointsTest : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("whetstone-health-").FullName;
    private LocalClusterServer _server = null!;
    private readonly HttpClient _http = new(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator });

    public async Task InitializeAsync() =>
        _server = await LocalClusterServer.StartAsync(new LocalClusterOptions { DataDirectory = _directory }, CancellationToken.None);

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Readyz_lists_its_checks_and_fails_naming_storage_while_a_write_holds_the_database()
    {
        var (code, body) = await GetAsync("readyz?verbose");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("[+]ping ok\n[+]storage ok\nreadyz check passed\n", body);
        Assert.Equal((HttpStatusCode.OK, "ok"), await GetAsync("livez"));

        using var holding = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        // The store's write scope belongs to the thread that takes it: hold it on a thread of its own.
        var writer = new Thread(() =>
        {
            using (_server.Store.BeginWrite())
            {
                holding.Set();
                release.Wait();
            }
        });
        writer.Start();
        holding.Wait();
        try
        {
            foreach (var endpoint in new[] { "readyz", "livez", "healthz" })
            {
                var (failedCode, failedBody) = await GetAsync(endpoint);
                Assert.Equal(HttpStatusCode.InternalServerError, failedCode);
                Assert.Contains("[-]storage failed: a write has held the database for more than 2 s", failedBody, StringComparison.Ordinal);
                Assert.Contains("[+]ping ok", failedBody, StringComparison.Ordinal);
            }

            Assert.Equal((HttpStatusCode.OK, "ok"), await GetAsync("readyz/ping"));
            Assert.Equal(HttpStatusCode.OK, (await GetAsync("readyz?exclude=storage")).Code);
        }
        finally
        {
            release.Set();
            writer.Join();
        }

        Assert.Equal((HttpStatusCode.OK, "ok"), await GetAsync("readyz"));
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("readyz/etcd")).Code);
    }

    private async Task<(HttpStatusCode Code, string Body)> GetAsync(string path)
    {
        using var response = await _http.GetAsync(new Uri(_server.BaseAddress, path));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}

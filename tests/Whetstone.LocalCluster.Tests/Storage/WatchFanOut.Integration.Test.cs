using System.Net.Http.Headers;
using k8s;
using k8s.Models;

namespace Whetstone.LocalCluster.Tests.Storage;

/// <summary>
/// Watch fan-out: every watcher of an event receives the same bytes, encoded once per event and form (event type
/// as the watcher sees it, apiVersion, Table or not), not once per watcher. Raw HTTP watches on a server of the
/// test's own, so the server's encoding counter counts only these watchers.
/// </summary>
public sealed class WatchFanOutIntegrationTest
{
    private const int PlainWatchers = 8;
    private const int SelectorWatchers = 3;

    [Fact]
    public async Task Every_watcher_gets_identical_bytes_and_each_event_is_encoded_once_per_form()
    {
        await using var own = await OwnServer.StartAsync();
        var client = own.Client;
        var start = (await client.CoreV1.ListNamespacedConfigMapAsync("default")).Metadata.ResourceVersion;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var plain = new List<RawWatch>();
        var selected = new List<RawWatch>();
        try
        {
            for (var i = 0; i < PlainWatchers; i++)
            {
                plain.Add(await RawWatch.OpenAsync(own, $"api/v1/namespaces/default/configmaps?watch=true&resourceVersion={start}", timeout.Token));
            }
            for (var i = 0; i < SelectorWatchers; i++)
            {
                selected.Add(await RawWatch.OpenAsync(own, $"api/v1/namespaces/default/configmaps?watch=true&resourceVersion={start}&labelSelector=tier%3Dgold", timeout.Token));
            }
            var encodedBefore = own.Server.WatchLinesEncoded;

            // ADDED (not matching the selector), MODIFIED into the selector (ADDED for its watchers), DELETED.
            await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "fan" }, Data = new Dictionary<string, string> { ["v"] = "0" } }, "default");
            await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"labels":{"tier":"gold"}}}""", V1Patch.PatchType.MergePatch), "fan", "default");
            await client.CoreV1.DeleteNamespacedConfigMapAsync("fan", "default");

            var plainLines = await Task.WhenAll(plain.Select(w => w.ReadLinesAsync(3, timeout.Token)));
            var selectedLines = await Task.WhenAll(selected.Select(w => w.ReadLinesAsync(2, timeout.Token)));
            for (var e = 0; e < 3; e++)
            {
                Assert.All(plainLines, lines => Assert.Equal(plainLines[0][e], lines[e]));
            }
            for (var e = 0; e < 2; e++)
            {
                Assert.All(selectedLines, lines => Assert.Equal(selectedLines[0][e], lines[e]));
            }
            Assert.StartsWith("{\"type\":\"ADDED\"", System.Text.Encoding.UTF8.GetString(plainLines[0][0]), StringComparison.Ordinal);
            Assert.StartsWith("{\"type\":\"MODIFIED\"", System.Text.Encoding.UTF8.GetString(plainLines[0][1]), StringComparison.Ordinal);
            Assert.StartsWith("{\"type\":\"ADDED\"", System.Text.Encoding.UTF8.GetString(selectedLines[0][0]), StringComparison.Ordinal);
            // The DELETED line is one form for everyone.
            Assert.Equal(plainLines[0][2], selectedLines[0][1]);

            // Forms: ADDED; MODIFIED and the selector's ADDED; DELETED. Four encodings for 3 events and 11 watchers.
            Assert.Equal(4, own.Server.WatchLinesEncoded - encodedBefore);
        }
        finally
        {
            foreach (var watch in plain.Concat(selected))
            {
                watch.Dispose();
            }
        }
    }

    [Fact]
    public async Task Table_watchers_share_every_line_but_their_first_which_carries_the_column_definitions()
    {
        // The first lines are encoded per watcher, so their Age cells may differ by a second; the later ones are one encoding.
        await using var own = await OwnServer.StartAsync();
        var client = own.Client;
        var start = (await client.CoreV1.ListNamespacedConfigMapAsync("default")).Metadata.ResourceVersion;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var tables = new List<RawWatch>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                tables.Add(await RawWatch.OpenAsync(own, $"api/v1/namespaces/default/configmaps?watch=true&resourceVersion={start}", timeout.Token,
                    accept: "application/json;as=Table;v=v1;g=meta.k8s.io"));
            }
            var encodedBefore = own.Server.WatchLinesEncoded;
            foreach (var name in new[] { "t1", "t2", "t3" })
            {
                await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name } }, "default");
            }

            var lines = await Task.WhenAll(tables.Select(w => w.ReadLinesAsync(3, timeout.Token)));
            Assert.All(lines, watcher =>
            {
                Assert.Contains("\"columnDefinitions\"", System.Text.Encoding.UTF8.GetString(watcher[0]), StringComparison.Ordinal);
                Assert.DoesNotContain("\"columnDefinitions\"", System.Text.Encoding.UTF8.GetString(watcher[1]), StringComparison.Ordinal);
                Assert.Equal(lines[0][1], watcher[1]);
                Assert.Equal(lines[0][2], watcher[2]);
            });
            Assert.Contains("\"t2\"", System.Text.Encoding.UTF8.GetString(lines[0][1]), StringComparison.Ordinal);
            // Each watcher's first line is its own (3); the two later events are encoded once for all (2).
            Assert.Equal(5, own.Server.WatchLinesEncoded - encodedBefore);
        }
        finally
        {
            foreach (var watch in tables)
            {
                watch.Dispose();
            }
        }
    }

    /// <summary>A watch read as raw bytes, line by line.</summary>
    private sealed class RawWatch : IDisposable
    {
        private readonly HttpResponseMessage _response;
        private readonly Stream _body;

        private RawWatch(HttpResponseMessage response, Stream body)
        {
            _response = response;
            _body = body;
        }

        public static async Task<RawWatch> OpenAsync(OwnServer own, string path, CancellationToken ct, string? accept = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(own.Server.BaseAddress, path));
            if (accept is not null)
            {
                request.Headers.TryAddWithoutValidation("Accept", accept);
            }
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(Path.Combine(own.Server.DataDirectory, "token"), ct)).Trim());
            // The response headers come once the server has subscribed, so events after this are all seen.
            var response = await own.Client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            response.EnsureSuccessStatusCode();
            return new RawWatch(response, new BufferedStream(await response.Content.ReadAsStreamAsync(ct)));
        }

        /// <summary>The next <paramref name="count"/> lines, each with its newline, as received.</summary>
        public async Task<byte[][]> ReadLinesAsync(int count, CancellationToken ct)
        {
            var lines = new byte[count][];
            var one = new byte[1];
            for (var i = 0; i < count; i++)
            {
                using var line = new MemoryStream();
                do
                {
                    if (await _body.ReadAsync(one, ct) == 0)
                    {
                        throw new EndOfStreamException($"the watch ended after {i} of {count} lines");
                    }
                    line.WriteByte(one[0]);
                }
                while (one[0] != (byte)'\n');
                lines[i] = line.ToArray();
            }
            return lines;
        }

        public void Dispose()
        {
            _body.Dispose();
            _response.Dispose();
        }
    }
}

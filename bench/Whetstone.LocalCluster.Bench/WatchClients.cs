using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;

namespace Whetstone.LocalCluster.Bench;

/// <summary>
/// The two kinds of watcher the fan-out step runs: KubernetesClient's typed watch (what controllers use: every event
/// deserialized into the model) and a raw one that reads each line and picks out type, name, resourceVersion and the
/// send-time annotation with a JSON reader, so the figure shows the server's delivery rather than the client's decoding.
/// </summary>
internal static class WatchClients
{
    /// <summary>One watch event as the benchmark needs it.</summary>
    internal readonly record struct Seen(string Type, string Name, string ResourceVersion, string? Sent);

    public static async IAsyncEnumerable<Seen> TypedAsync(Kubernetes client, string resourceVersion, TaskCompletionSource ready, [EnumeratorCancellation] CancellationToken ct)
    {
        var response = client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync(BenchObject.Group, BenchObject.Version, "default", BenchObject.Plural,
            resourceVersion: resourceVersion, watch: true, cancellationToken: ct);
        ready.TrySetResult();
#pragma warning disable CS0618 // the list-response watch helper is what works with the untyped custom-objects API of this client version
        await foreach (var (type, item) in response.WatchAsync<BenchObject, object>(cancellationToken: ct))
#pragma warning restore CS0618
        {
            string? sent = null;
            item.Metadata.Annotations?.TryGetValue("bench/sent", out sent);
            yield return new Seen(type.ToString().ToUpperInvariant(), item.Metadata.Name, item.Metadata.ResourceVersion, sent);
        }
    }

    public static async IAsyncEnumerable<Seen> RawAsync(Kubernetes client, LocalClusterServer server, string resourceVersion, TaskCompletionSource ready,
        [EnumeratorCancellation] CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseAddress,
            $"apis/{BenchObject.Group}/{BenchObject.Version}/namespaces/default/{BenchObject.Plural}?watch=true&resourceVersion={resourceVersion}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(Path.Combine(server.DataDirectory, "token"), ct)).Trim());
        using var response = await client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        ready.TrySetResult();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            yield return Parse(line);
        }
    }

    private static Seen Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var metadata = root.GetProperty("object").GetProperty("metadata");
        var sent = metadata.TryGetProperty("annotations", out var annotations) && annotations.TryGetProperty("bench/sent", out var value) ? value.GetString() : null;
        return new Seen(root.GetProperty("type").GetString()!, metadata.GetProperty("name").GetString()!, metadata.GetProperty("resourceVersion").GetString()!, sent);
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.Workers;

namespace Whetstone.Reliability.Tests.Cluster;

/// <summary>
/// Every worker pod ever created in one namespace, seen through a watch from before the first job existed (resumed
/// from its last resourceVersion when the stream ends), so a pod that was created and deleted again between two looks
/// still counts: the proof of "no duplicate worker pods" cannot rest on the pods left at the end. When the server has
/// forgotten the watch's place (410 Gone, after an API server restart) it lists again and counts that in
/// <see cref="Relists"/>: a pod created and deleted inside that gap alone would go unseen (worker pods of finished
/// attempts are kept, so a duplicate attempt still shows).
/// </summary>
public sealed class PodCreationLog : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, CreatedPod> _pods = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly IKubernetes _client;
    private readonly string _namespace;
    private Task _watching = Task.CompletedTask;
    private string _resourceVersion = "";
    private Exception? _failure;

    private PodCreationLog(IKubernetes client, string ns)
    {
        _client = client;
        _namespace = ns;
    }

    /// <summary>How many times the watch had to be opened again.</summary>
    public int Reconnects { get; private set; }

    /// <summary>How many times the watch's place was forgotten and the pods were listed again.</summary>
    public int Relists { get; private set; }

    /// <summary>Starts watching <paramref name="ns"/>; returns once the starting list is read.</summary>
    public static async Task<PodCreationLog> StartAsync(IKubernetes client, string ns)
    {
        var log = new PodCreationLog(client, ns);
        await log.ListAsync();
        log._watching = Task.Run(log.WatchAsync);
        return log;
    }

    /// <summary>How many worker pods were seen so far.</summary>
    public int Count => _pods.Count;

    /// <summary>The worker pods created so far (by uid), grouped by the job they belong to.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<CreatedPod>> ByJob() => _failure is not null
        ? throw new InvalidOperationException("the pod watch stopped, so pods may have gone unseen", _failure)
        : _pods.Values.GroupBy(p => p.Job, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<CreatedPod>)[.. g.OrderBy(p => p.Attempt)], StringComparer.Ordinal);

    /// <summary>Waits until the watch has seen every worker pod that exists now (the stream may lag a list).</summary>
    public async Task CatchUpAsync()
    {
        var now = await _client.CoreV1.ListNamespacedPodAsync(_namespace);
        var missing = now.Items.Where(p => p.Metadata.Labels?.ContainsKey(WhetstoneLabels.Job) == true).Select(p => p.Metadata.Uid).ToList();
        await Eventually.TrueAsync(() => missing.All(_pods.ContainsKey), "the pod watch has seen every worker pod");
    }

    private async Task ListAsync()
    {
        var list = await _client.CoreV1.ListNamespacedPodAsync(_namespace);
        foreach (var pod in list.Items)
        {
            Keep(pod);
        }

        _resourceVersion = list.Metadata.ResourceVersion;
    }

    private async Task WatchAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            // A 410 comes as an ERROR event that the client reports through onError before it ends the stream quietly.
            Exception? reported = null;
            try
            {
                await foreach (var (_, pod) in _client.CoreV1.WatchListNamespacedPodAsync(
                    _namespace, resourceVersion: _resourceVersion, onError: e => reported ??= e, cancellationToken: _stop.Token))
                {
                    Keep(pod);
                    _resourceVersion = pod.Metadata.ResourceVersion;
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or HttpOperationException or KubernetesException)
            {
                reported ??= e;
            }

            if (IsGone(reported))
            {
                await RelistAsync();
            }
            else if (reported is not null)
            {
                await Task.Delay(200);
            }

            Reconnects++;
        }
    }

    private static bool IsGone(Exception? error) => error switch
    {
        KubernetesException k => k.Status?.Code == (int)HttpStatusCode.Gone,
        HttpOperationException h => h.Response?.StatusCode == HttpStatusCode.Gone,
        _ => false,
    };

    private async Task RelistAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                await ListAsync();
                Relists++;
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or HttpOperationException)
            {
                if (DateTime.UtcNow > deadline)
                {
                    _failure = e;
                    return;
                }

                await Task.Delay(200);
            }
        }
    }

    private void Keep(V1Pod pod)
    {
        if (pod.Metadata.Labels?.TryGetValue(WhetstoneLabels.Job, out var job) != true || job is null)
        {
            return;
        }

        var attempt = pod.Metadata.Annotations?.TryGetValue(WorkerAnnotations.Attempt, out var a) == true
            && int.TryParse(a, CultureInfo.InvariantCulture, out var n) ? n : 0;
        _pods.TryAdd(pod.Metadata.Uid, new CreatedPod(job, pod.Metadata.Name, pod.Metadata.Uid, attempt));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _watching;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }
}

using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Whetstone.Operator.Runtime.Informers;

/// <summary>
/// Keeps a local cache of one resource type in step with the API: list (paginated), then watch from the list's
/// resourceVersion; a watch that ends or drops is reopened from the last resourceVersion seen (bookmarks move it
/// on too); a 410 Gone relists and reports the difference as events, so no change is lost. Controllers read the
/// cache instead of the API.
/// </summary>
public sealed class Informer<T>(IResourceSource<T> source, ILogger logger, InformerOptions? options = null)
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly InformerOptions _options = options ?? new InformerOptions();
    private readonly ConcurrentDictionary<string, T> _cache = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Action<InformerEvent<T>>> _handlers = [];
    private long _lists;
    private long _watches;

    /// <summary>Completes once the first full list is in the cache.</summary>
    public Task Synced => _synced.Task;

    /// <summary>The last resourceVersion the informer has seen.</summary>
    public string ResourceVersion { get; private set; } = string.Empty;

    /// <summary>How many full lists were made (1 plus one per relist).</summary>
    public long ListCount => Interlocked.Read(ref _lists);

    /// <summary>How many watch requests were opened.</summary>
    public long WatchCount => Interlocked.Read(ref _watches);

    /// <summary>The cache key of an object: <c>namespace/name</c>, or <c>name</c> for cluster-scoped objects.</summary>
    public static string KeyOf(T item) =>
        string.IsNullOrEmpty(item.Metadata.NamespaceProperty) ? item.Metadata.Name : $"{item.Metadata.NamespaceProperty}/{item.Metadata.Name}";

    /// <summary>Registers a handler; call before <see cref="RunAsync"/>. Handlers run on the informer's loop: keep them quick.</summary>
    public void OnEvent(Action<InformerEvent<T>> handler) => _handlers.Add(handler);

    /// <summary>The cached object with this key, or null.</summary>
    public T? Get(string key) => _cache.TryGetValue(key, out var item) ? item : null;

    /// <summary>A snapshot of every cached object.</summary>
    public IReadOnlyList<T> List() => [.. _cache.Values];

    /// <summary>Runs until cancelled: list, watch, reconnect, relist.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var delay = _options.RetryDelay;
        var needsList = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (needsList)
                {
                    await ListAndReplaceAsync(cancellationToken).ConfigureAwait(false);
                    needsList = false;
                }

                await WatchAsync(cancellationToken).ConfigureAwait(false);
                delay = _options.RetryDelay;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ResourceVersionExpiredException e)
            {
                logger.LogInformation("{Source}: {Reason}; relisting", source.Description, e.Message);
                needsList = true;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("{Source}: watch failed ({Error}); retrying in {Delay}", source.Description, e.Message, delay);
                try
                {
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryDelay.Ticks));
            }
        }
    }

    private async Task ListAndReplaceAsync(CancellationToken cancellationToken)
    {
        var fresh = new Dictionary<string, T>(StringComparer.Ordinal);
        string? continueToken = null;
        var version = string.Empty;
        do
        {
            var page = await source.ListPageAsync(continueToken, _options.PageSize, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Items)
            {
                fresh[KeyOf(item)] = item;
            }

            // The first page's resourceVersion is the snapshot every later page belongs to.
            if (continueToken is null)
            {
                version = page.ResourceVersion;
            }

            continueToken = page.Continue;
        }
        while (continueToken is not null);

        Interlocked.Increment(ref _lists);
        foreach (var (key, old) in _cache)
        {
            if (!fresh.ContainsKey(key) && _cache.TryRemove(key, out _))
            {
                Publish(new InformerEvent<T>(ResourceWatchEventType.Deleted, old));
            }
        }

        foreach (var (key, item) in fresh)
        {
            var known = _cache.TryGetValue(key, out var old);
            _cache[key] = item;
            if (!known)
            {
                Publish(new InformerEvent<T>(ResourceWatchEventType.Added, item));
            }
            else if (!string.Equals(old!.Metadata.ResourceVersion, item.Metadata.ResourceVersion, StringComparison.Ordinal))
            {
                Publish(new InformerEvent<T>(ResourceWatchEventType.Modified, item));
            }
        }

        ResourceVersion = version;
        _synced.TrySetResult();
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _watches);
        await foreach (var change in source.WatchAsync(ResourceVersion, _options.WatchTimeout, cancellationToken).ConfigureAwait(false))
        {
            if (!string.IsNullOrEmpty(change.ResourceVersion))
            {
                ResourceVersion = change.ResourceVersion;
            }

            if (change.Type == ResourceWatchEventType.Bookmark || change.Object is null)
            {
                continue;
            }

            var key = KeyOf(change.Object);
            if (change.Type == ResourceWatchEventType.Deleted)
            {
                _cache.TryRemove(key, out _);
            }
            else
            {
                _cache[key] = change.Object;
            }

            Publish(new InformerEvent<T>(change.Type, change.Object));
        }
    }

    private void Publish(InformerEvent<T> change)
    {
        foreach (var handler in _handlers)
        {
            try
            {
                handler(change);
            }
            catch (Exception e)
            {
                logger.LogError(e, "{Source}: an event handler failed for {Key}", source.Description, KeyOf(change.Object));
            }
        }
    }
}

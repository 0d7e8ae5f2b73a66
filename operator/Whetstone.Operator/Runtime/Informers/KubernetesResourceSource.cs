using System.Net;
using System.Runtime.CompilerServices;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Whetstone.Operator.Runtime.Informers;

/// <summary>
/// An <see cref="IResourceSource{T}"/> over KubernetesClient's generated list and watch calls. Works against any API
/// server, embedded or real; translates a 410 Gone into <see cref="ResourceVersionExpiredException"/>.
/// </summary>
public sealed class KubernetesResourceSource<T>(
    string description,
    KubernetesResourceSource<T>.ListCall list,
    KubernetesResourceSource<T>.WatchCall watch) : IResourceSource<T>
    where T : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>Reads one page.</summary>
    public delegate Task<ResourcePage<T>> ListCall(string? continueToken, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a watch from a resourceVersion, with bookmarks, ending after the timeout. An ERROR event (a Status in the
    /// stream, as the API server sends for a too old resourceVersion) is passed to <c>onError</c>, not thrown.
    /// </summary>
    public delegate IAsyncEnumerable<(WatchEventType Type, T Object)> WatchCall(
        string resourceVersion, int timeoutSeconds, Action<Exception> onError, CancellationToken cancellationToken);

    /// <inheritdoc />
    public string Description => description;

    /// <inheritdoc />
    public async Task<ResourcePage<T>> ListPageAsync(string? continueToken, int limit, CancellationToken cancellationToken)
    {
        try
        {
            return await list(continueToken, limit, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.Gone)
        {
            throw new ResourceVersionExpiredException($"{description}: the continue token expired");
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ResourceWatchEvent<T>> WatchAsync(
        string resourceVersion, TimeSpan timeout, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The API server answers a watch from a compacted resourceVersion with HTTP 200 and one ERROR event holding a
        // 410 Status, then ends the stream; KubernetesClient reports that event through onError and ends quietly, so
        // without this the informer would reopen the same watch forever instead of relisting.
        Exception? streamError = null;
        var stream = watch(resourceVersion, (int)Math.Ceiling(timeout.TotalSeconds), e => streamError ??= e, cancellationToken);
        await using var events = stream.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            bool more;
            try
            {
                more = await events.MoveNextAsync().ConfigureAwait(false);
                ThrowIfReported(streamError, resourceVersion);
            }
            catch (KubernetesException e) when (e.Status?.Code == (int)HttpStatusCode.Gone)
            {
                throw new ResourceVersionExpiredException($"{description}: resourceVersion {resourceVersion} is too old: {e.Status.Message}");
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.Gone)
            {
                throw new ResourceVersionExpiredException($"{description}: resourceVersion {resourceVersion} is too old");
            }

            if (!more)
            {
                yield break;
            }

            var (type, item) = events.Current;
            yield return Translate(type, item);
        }
    }

    private void ThrowIfReported(Exception? error, string resourceVersion)
    {
        switch (error)
        {
            case null:
                return;
            case KubernetesException { Status.Code: (int)HttpStatusCode.Gone } gone:
                throw new ResourceVersionExpiredException($"{description}: resourceVersion {resourceVersion} is too old: {gone.Status.Message}");
            default:
                throw new IOException($"{description}: the watch reported an error: {error.Message}", error);
        }
    }

    private static ResourceWatchEvent<T> Translate(WatchEventType type, T item)
    {
        var version = item?.Metadata?.ResourceVersion ?? string.Empty;
        return type switch
        {
            WatchEventType.Added => new ResourceWatchEvent<T>(ResourceWatchEventType.Added, item, version),
            WatchEventType.Modified => new ResourceWatchEvent<T>(ResourceWatchEventType.Modified, item, version),
            WatchEventType.Deleted => new ResourceWatchEvent<T>(ResourceWatchEventType.Deleted, item, version),
            WatchEventType.Bookmark => new ResourceWatchEvent<T>(ResourceWatchEventType.Bookmark, default, version),
            _ => throw new KubernetesException(new V1Status { Code = 500, Message = $"unexpected watch event type {type}" }),
        };
    }
}

using System.Runtime.CompilerServices;
using Whetstone.Operator.Runtime.Informers;

namespace Whetstone.Operator.Tests.Runtime.Controllers;

/// <summary>
/// A real list-and-watch source whose watch events arrive late, as on a busy API server: lets a test hold the
/// informer's cache behind the API for a known time.
/// </summary>
public sealed class DelayedWatchSource<T>(IResourceSource<T> inner, TimeSpan delay) : IResourceSource<T>
{
    public string Description => inner.Description;

    public Task<ResourcePage<T>> ListPageAsync(string? continueToken, int limit, CancellationToken cancellationToken) =>
        inner.ListPageAsync(continueToken, limit, cancellationToken);

    public async IAsyncEnumerable<ResourceWatchEvent<T>> WatchAsync(string resourceVersion, TimeSpan timeout, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var change in inner.WatchAsync(resourceVersion, timeout, cancellationToken).ConfigureAwait(false))
        {
            if (change.Type != ResourceWatchEventType.Bookmark)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }

            yield return change;
        }
    }
}

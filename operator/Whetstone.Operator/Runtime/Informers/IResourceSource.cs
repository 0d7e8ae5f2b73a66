namespace Whetstone.Operator.Runtime.Informers;

/// <summary>Lists and watches one resource type (cluster-wide or in one namespace).</summary>
public interface IResourceSource<T>
{
    /// <summary>Describes the source for logs ("finetunejobs.whetstone.dev", "pods").</summary>
    string Description { get; }

    /// <summary>Reads one page of the list.</summary>
    Task<ResourcePage<T>> ListPageAsync(string? continueToken, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Streams events after <paramref name="resourceVersion"/>, bookmarks included, until the server ends the
    /// stream. Throws <see cref="ResourceVersionExpiredException"/> when that version is too old.
    /// </summary>
    IAsyncEnumerable<ResourceWatchEvent<T>> WatchAsync(string resourceVersion, TimeSpan timeout, CancellationToken cancellationToken);
}

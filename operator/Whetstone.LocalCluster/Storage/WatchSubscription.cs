using System.Threading.Channels;

namespace Whetstone.LocalCluster.Storage;

/// <summary>A live watch: receives every event of one resource (optionally one namespace) after it subscribed.</summary>
internal sealed class WatchSubscription(string storageKey, string? ns) : IDisposable
{
    // Bounded so a stalled client cannot grow memory without limit; overflowing ends its watch (it re-lists).
    private readonly Channel<WatchEvent> _channel = Channel.CreateBounded<WatchEvent>(
        new BoundedChannelOptions(100_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public string StorageKey { get; } = storageKey;
    public string? Namespace { get; } = ns;
    public Action<WatchSubscription>? OnDispose { get; set; }

    public ChannelReader<WatchEvent> Reader => _channel.Reader;

    public bool Matches(WatchEvent e) => e.Object.StorageKey == StorageKey && (Namespace is null || e.Object.Namespace == Namespace);

    public void Publish(WatchEvent e)
    {
        if (!_channel.Writer.TryWrite(e))
        {
            _channel.Writer.TryComplete(new InvalidOperationException("watch consumer too slow"));
        }
    }

    public void Complete() => _channel.Writer.TryComplete();

    public void Dispose()
    {
        _channel.Writer.TryComplete();
        OnDispose?.Invoke(this);
    }
}

namespace Whetstone.LocalCluster.Node;

/// <summary>
/// A level-triggered wake-up: any number of notifications before the loop runs collapse into one pass,
/// and the loop also runs after a resync interval when nothing arrives.
/// </summary>
internal sealed class ChangeSignal : IDisposable
{
    private readonly SemaphoreSlim _pending = new(0, 1);

    public void Notify()
    {
        try
        {
            _pending.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already pending: the next pass sees this change too.
        }
    }

    public async Task WaitAsync(TimeSpan resync, CancellationToken ct) =>
        await _pending.WaitAsync(resync, ct).ConfigureAwait(false);

    public void Dispose() => _pending.Dispose();
}

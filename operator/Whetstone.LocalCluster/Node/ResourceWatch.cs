using k8s;
using Microsoft.Extensions.Logging;

namespace Whetstone.LocalCluster.Node;

/// <summary>
/// Watches one resource across all namespaces and turns every event into a <see cref="ChangeSignal"/>
/// notification. The loops it wakes re-read the world (level-based), so a dropped watch costs at most one
/// resync interval; it reconnects after a short pause.
/// </summary>
internal static class ResourceWatch
{
    public static async Task RunAsync<TItem>(
        string resource,
        Func<CancellationToken, IAsyncEnumerable<(WatchEventType, TItem)>> startWatch,
        IReadOnlyList<ChangeSignal> signals,
        ILogger logger,
        CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await foreach (var _ in startWatch(ct).ConfigureAwait(false))
                {
                    foreach (var signal in signals)
                    {
                        signal.Notify();
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed watch must never stop the node; the periodic resync covers the gap.
            catch (Exception error)
#pragma warning restore CA1031
            {
                logger.LogDebug(error, "Watch on {Resource} ended; reconnecting", resource);
            }

            foreach (var signal in signals)
            {
                signal.Notify();
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

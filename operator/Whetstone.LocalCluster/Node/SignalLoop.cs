using Microsoft.Extensions.Logging;

namespace Whetstone.LocalCluster.Node;

/// <summary>
/// The shape of every level-based loop here: run a pass that reads the world and fixes the difference, then wait
/// for a change (or the resync interval); a failed pass is logged and retried on the next wake-up.
/// </summary>
internal static class SignalLoop
{
    public static async Task RunAsync(
        string name, Func<CancellationToken, Task> pass, ChangeSignal signal, TimeSpan resync, ILogger logger, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await pass(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Retried on the next signal; a failed pass must not stop the loop.
            catch (Exception error)
#pragma warning restore CA1031
            {
                logger.LogWarning(error, "{Loop} pass failed; retrying", name);
            }

            try
            {
                await signal.WaitAsync(resync, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

using k8s;
using Whetstone.Api.V1Alpha1;

namespace Whetstone.Worker.FineTuning;

/// <summary>
/// Holds the worker-owned status and sends it to the sinks at most once per <paramref name="interval"/>, from a
/// background loop (so training never waits on the API server), plus a final write when the run ends.
/// A failed write is reported on stderr and retried with the next change; it never fails the run.
/// </summary>
internal sealed class StatusReporter(IReadOnlyList<IStatusSink> sinks, TimeSpan interval) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private FineTuneJobStatus _status = new();
    private long _version;
    private long _written;
    private Task? _loop;

    public void Start() => _loop = Task.Run(() => RunAsync(_stopping.Token));

    /// <summary>Changes the status under the lock; the change is sent with the next periodic write.</summary>
    public void Update(Action<FineTuneJobStatus> change)
    {
        lock (_gate)
        {
            change(_status);
            _version++;
        }
    }

    /// <summary>Stops the loop and writes the latest status once more.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
            _loop = null;
        }

        await WriteIfChangedAsync(force: true, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await WriteIfChangedAsync(force: false, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by FlushAsync or DisposeAsync.
        }
    }

    private async Task WriteIfChangedAsync(bool force, CancellationToken cancellationToken)
    {
        FineTuneJobStatus snapshot;
        long snapshotVersion;
        lock (_gate)
        {
            if (!force && _version == _written)
            {
                return;
            }

            // A deep copy, so the sinks serialize a consistent state while training goes on changing it.
            snapshot = KubernetesJson.Deserialize<FineTuneJobStatus>(KubernetesJson.Serialize(_status));
            snapshotVersion = _version;
        }

        foreach (var sink in sinks)
        {
            try
            {
                await sink.WriteAsync(snapshot, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync($"status update failed (will retry): {error.Message}").ConfigureAwait(false);
                return;
            }
        }

        _written = snapshotVersion;
    }
}

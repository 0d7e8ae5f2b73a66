using k8s;

namespace Whetstone.Worker.Jobs;

/// <summary>
/// Holds the worker-owned status of a run and sends it to its sinks. Throttled (an interval given): at most once per
/// interval from a background loop, so the work never waits on the API server, plus a final write from
/// <see cref="FlushAsync"/>. Write-through (no interval): on every change, for kinds whose changes are minutes apart.
/// A failed write is reported on stderr and retried with the next change; it never fails the run.
/// </summary>
/// <typeparam name="TStatus">The kind's status type.</typeparam>
internal sealed class StatusReporter<TStatus> : IAsyncDisposable
    where TStatus : new()
{
    private readonly IStatusSink<TStatus> _sink;
    private readonly TimeSpan? _interval;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TStatus _status = new();
    private long _version;
    private long _written;
    private Task? _loop;

    /// <summary>A reporter writing to <paramref name="sink"/> at most once per <paramref name="interval"/>, or on every change when null.</summary>
    public StatusReporter(IStatusSink<TStatus> sink, TimeSpan? interval)
    {
        _sink = sink;
        _interval = interval;
    }

    /// <summary>Starts the periodic writes (throttled reporters only).</summary>
    public void Start()
    {
        if (_interval is { } interval)
        {
            _loop = Task.Run(() => RunAsync(interval, _stopping.Token));
        }
    }

    /// <summary>Changes the status under the lock; the change is sent with the next periodic write, or now when write-through.</summary>
    public void Update(Action<TStatus> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            change(_status);
            _version++;
        }

        if (_interval is null)
        {
            WriteIfChangedAsync(force: true, CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    /// <summary>Stops the loop and writes the latest status once more.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await StopLoopAsync().ConfigureAwait(false);
        await WriteIfChangedAsync(force: true, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopLoopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task StopLoopAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
            _loop = null;
        }
    }

    private async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
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
        TStatus snapshot;
        long snapshotVersion;
        lock (_gate)
        {
            if (!force && _version == _written)
            {
                return;
            }

            // A deep copy, so the sinks serialize a consistent state while the work goes on changing it.
            snapshot = KubernetesJson.Deserialize<TStatus>(KubernetesJson.Serialize(_status));
            snapshotVersion = _version;
        }

        try
        {
            await _sink.WriteAsync(snapshot, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"status update failed (will retry): {error.Message}").ConfigureAwait(false);
            return;
        }

        lock (_gate)
        {
            _written = Math.Max(_written, snapshotVersion);
        }
    }
}

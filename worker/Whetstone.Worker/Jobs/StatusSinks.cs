namespace Whetstone.Worker.Jobs;

/// <summary>Every sink of a run (status file first, then the cluster), written in order; the first failure propagates.</summary>
/// <typeparam name="TStatus">The kind's status type.</typeparam>
internal sealed class StatusSinks<TStatus>(IReadOnlyList<IStatusSink<TStatus>> sinks) : IStatusSink<TStatus>
{
    /// <inheritdoc />
    public async Task WriteAsync(TStatus status, CancellationToken cancellationToken)
    {
        foreach (var sink in sinks)
        {
            await sink.WriteAsync(status, cancellationToken).ConfigureAwait(false);
        }
    }
}

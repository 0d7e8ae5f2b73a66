using k8s;
using Whetstone.Api.V1Alpha1;

namespace Whetstone.Worker.Compression;

/// <summary>
/// The worker-owned status of a compression run, written to every sink on each change (steps take seconds to
/// minutes, so there is no need to throttle). A failed write is reported on stderr and never fails the run.
/// </summary>
internal sealed class CompressionStatus(IReadOnlyList<ICompressionStatusSink> sinks)
{
    private readonly Lock _gate = new();
    private readonly CompressionJobStatus _status = new();

    public void Update(Action<CompressionJobStatus> change)
    {
        CompressionJobStatus snapshot;
        lock (_gate)
        {
            change(_status);
            snapshot = KubernetesJson.Deserialize<CompressionJobStatus>(KubernetesJson.Serialize(_status));
        }

        foreach (var sink in sinks)
        {
            try
            {
                sink.WriteAsync(snapshot, CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                Console.Error.WriteLine($"status update failed (the next change retries): {error.Message}");
            }
        }
    }
}

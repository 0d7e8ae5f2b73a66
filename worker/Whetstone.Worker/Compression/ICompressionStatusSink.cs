using Whetstone.Api.V1Alpha1;

namespace Whetstone.Worker.Compression;

/// <summary>Where the worker-owned part of a CompressionJob's status goes: a file (standalone) or the status subresource (pod).</summary>
internal interface ICompressionStatusSink
{
    /// <summary>Writes the worker-owned fields of <paramref name="status"/> (steps, results, artifacts, message, cost).</summary>
    Task WriteAsync(CompressionJobStatus status, CancellationToken cancellationToken);
}

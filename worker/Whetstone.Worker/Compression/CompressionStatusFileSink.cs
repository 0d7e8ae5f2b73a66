using k8s;
using Whetstone.Api.V1Alpha1;

namespace Whetstone.Worker.Compression;

/// <summary>Writes the status as JSON (CompressionJobStatus shape) to a file, replaced atomically.</summary>
internal sealed class CompressionStatusFileSink(string path) : ICompressionStatusSink
{
    public async Task WriteAsync(CompressionJobStatus status, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".tmp";
        await File.WriteAllTextAsync(temporary, KubernetesJson.Serialize(status) + "\n", cancellationToken).ConfigureAwait(false);
        File.Move(temporary, full, overwrite: true);
    }
}

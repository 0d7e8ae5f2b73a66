using k8s;
using Whetstone.Api.V1Alpha1;

namespace Whetstone.Worker.FineTuning;

/// <summary>Writes the status as JSON (FineTuneJobStatus shape) to a file, replacing it atomically so readers never see half a file.</summary>
internal sealed class StatusFileSink(string path) : IStatusSink
{
    public async Task WriteAsync(FineTuneJobStatus status, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".tmp";
        await File.WriteAllTextAsync(temporary, KubernetesJson.Serialize(status) + "\n", cancellationToken).ConfigureAwait(false);
        File.Move(temporary, full, overwrite: true);
    }
}

using k8s;

namespace Whetstone.Worker.Jobs;

/// <summary>Writes the status as JSON (the kind's status shape) to a file, replacing it atomically so readers never see half a file.</summary>
/// <typeparam name="TStatus">The kind's status type.</typeparam>
internal sealed class StatusFileSink<TStatus>(string path) : IStatusSink<TStatus>
{
    /// <inheritdoc />
    public async Task WriteAsync(TStatus status, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".tmp";
        await File.WriteAllTextAsync(temporary, KubernetesJson.Serialize(status) + "\n", cancellationToken).ConfigureAwait(false);
        File.Move(temporary, full, overwrite: true);
    }
}

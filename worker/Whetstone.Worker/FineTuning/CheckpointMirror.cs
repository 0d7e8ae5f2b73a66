using System.Globalization;
using Whetstone.Artifacts;
using Whetstone.ML.Training;

namespace Whetstone.Worker.FineTuning;

/// <summary>
/// Mirrors local training checkpoints to an object store under <c>&lt;uid&gt;/checkpoints/checkpoint-NNNNNNNNN/</c>
/// (a <c>COMMITTED</c> file written last marks a complete one), and brings the latest back before a run starts,
/// so an attempt on another machine resumes where the previous one stopped.
/// </summary>
internal static class CheckpointMirror
{
    private const string CommittedMarker = "COMMITTED";

    public static async Task RestoreLatestAsync(IArtifactStore store, string prefix, string localRoot, CancellationToken cancellationToken)
    {
        var committed = new List<string>();
        await foreach (var info in store.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            if (info.Key.EndsWith("/" + CommittedMarker, StringComparison.Ordinal))
            {
                committed.Add(info.Key[..^(CommittedMarker.Length + 1)]);
            }
        }

        var latest = committed.Order(StringComparer.Ordinal).LastOrDefault();
        if (latest is null)
        {
            return;
        }

        var target = Path.Combine(localRoot, latest[(latest.LastIndexOf('/') + 1)..]);
        if (Directory.Exists(target))
        {
            return;
        }

        var staging = target + ".download";
        Directory.CreateDirectory(staging);
        await foreach (var info in store.ListAsync(latest + "/", cancellationToken).ConfigureAwait(false))
        {
            var name = info.Key[(latest.Length + 1)..];
            if (name == CommittedMarker)
            {
                continue;
            }

            var path = Path.Combine(staging, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var source = await store.OpenReadAsync(info.Key, cancellationToken).ConfigureAwait(false);
            await using (source.ConfigureAwait(false))
            {
                await using var file = File.Create(path);
                await source.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }
        }

        Directory.Move(staging, target);
    }

    public static async Task UploadLatestAsync(LocalDirectoryCheckpointStore local, IArtifactStore store, string prefix, CancellationToken cancellationToken)
    {
        var latest = await local.GetLatestAsync(cancellationToken).ConfigureAwait(false);
        if (latest is null)
        {
            return;
        }

        var folder = prefix + Path.GetFileName(latest) + "/";
        if (await store.ExistsAsync(folder + CommittedMarker, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        foreach (var file in Directory.GetFiles(latest, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var key = folder + Path.GetRelativePath(latest, file).Replace(Path.DirectorySeparatorChar, '/');
            await using var content = File.OpenRead(file);
            try
            {
                await store.PutAsync(key, content, "application/octet-stream", null, cancellationToken).ConfigureAwait(false);
            }
            catch (ArtifactExistsException)
            {
                // An earlier, interrupted upload of this step: what is there stays (checkpoints of one step match).
            }
        }

        await store.PutAsync(folder + CommittedMarker, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture))), "text/plain", null, cancellationToken).ConfigureAwait(false);
    }
}

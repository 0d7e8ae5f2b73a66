using System.Globalization;
using Whetstone.Artifacts;
using Whetstone.ML.Training;

namespace Whetstone.Worker.Jobs;

/// <summary>
/// Training checkpoints written locally and uploaded to an object store as soon as each is committed, under
/// <c>&lt;prefix&gt;checkpoint-NNNNNNNNN/</c>. Uploads run in the background, one at a time; a checkpoint becomes
/// visible to a later attempt only when its <c>COMMITTED</c> marker, written after every file, exists. The newest
/// <paramref name="keep"/> committed checkpoints are kept in the store; older ones lose their marker first, then their
/// files. <see cref="RestoreLatestAsync"/> brings the newest committed one back before training, so an attempt on
/// another machine (a rescheduled pod, even after SIGKILL) resumes where the previous one got to.
/// </summary>
internal sealed class MirroredCheckpointStore(LocalDirectoryCheckpointStore local, IArtifactStore store, string prefix, Action<string> say, int keep = 2) : ICheckpointStore
{
    private const string CommittedMarker = "COMMITTED";
    private const string CheckpointPrefix = "checkpoint-";
    private Task _pendingUpload = Task.CompletedTask;

    /// <inheritdoc />
    public string CreateStagingDirectory() => local.CreateStagingDirectory();

    /// <inheritdoc />
    public async Task CommitAsync(string stagingDirectory, long step, CancellationToken cancellationToken)
    {
        // One upload at a time: waiting for the previous one here also guarantees the local store's pruning (it keeps
        // the newest two) never deletes a checkpoint that is still being uploaded.
        await DrainAsync().ConfigureAwait(false);
        await local.CommitAsync(stagingDirectory, step, cancellationToken).ConfigureAwait(false);
        var directory = Path.Combine(local.Root, CheckpointPrefix + step.ToString("D9", CultureInfo.InvariantCulture));
        _pendingUpload = Task.Run(() => UploadAsync(directory));
    }

    /// <inheritdoc />
    public Task<string?> GetLatestAsync(CancellationToken cancellationToken) => local.GetLatestAsync(cancellationToken);

    /// <summary>Waits for the upload in progress, if any (at the end of training and on SIGTERM).</summary>
    public Task DrainAsync() => _pendingUpload;

    /// <summary>
    /// Downloads the newest committed checkpoint in the store into the local root, unless the local root already has
    /// it or a newer one (same machine, killed before that upload finished): the newest complete checkpoint wins.
    /// </summary>
    public async Task RestoreLatestAsync(CancellationToken cancellationToken)
    {
        var folders = await ListFoldersAsync(cancellationToken).ConfigureAwait(false);
        var latest = folders.Where(f => f.Value.Committed).Select(f => f.Key).Order(StringComparer.Ordinal).LastOrDefault();
        if (latest is null)
        {
            return;
        }

        var localLatest = await local.GetLatestAsync(cancellationToken).ConfigureAwait(false);
        if (localLatest is not null && string.CompareOrdinal(Path.GetFileName(localLatest), latest) >= 0)
        {
            return;
        }

        // Downloaded into the local store's staging area (cleaned up after a crash), renamed into place when complete.
        var staging = local.CreateStagingDirectory();
        foreach (var key in folders[latest].Keys)
        {
            var name = key[(prefix.Length + latest.Length + 1)..];
            if (name == CommittedMarker)
            {
                continue;
            }

            var path = Path.Combine(staging, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var source = await store.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
            await using (source.ConfigureAwait(false))
            {
                var file = File.Create(path);
                await using (file.ConfigureAwait(false))
                {
                    await source.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        Directory.Move(staging, Path.Combine(local.Root, latest));
        say($"checkpoint {latest} restored from {store.GetUri(prefix + latest + "/")}");
    }

    private async Task UploadAsync(string directory)
    {
        var name = Path.GetFileName(directory);
        var folder = prefix + name + "/";
        try
        {
            if (!Directory.Exists(directory) || await store.ExistsAsync(folder + CommittedMarker).ConfigureAwait(false))
            {
                return;
            }

            // Files of an earlier attempt's interrupted upload of this step may be there; keys are write-once, so they
            // go before this attempt's files are written (nothing reads a folder without its marker).
            var folders = await ListFoldersAsync(CancellationToken.None).ConfigureAwait(false);
            if (folders.TryGetValue(name, out var leftover))
            {
                await DeleteFolderAsync(leftover).ConfigureAwait(false);
            }

            foreach (var file in Directory.GetFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var content = File.OpenRead(file);
                await using (content.ConfigureAwait(false))
                {
                    await store.PutAsync(folder + Path.GetRelativePath(directory, file).Replace(Path.DirectorySeparatorChar, '/'), content).ConfigureAwait(false);
                }
            }

            await store.PutAsync(folder + CommittedMarker, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture))), "text/plain").ConfigureAwait(false);
            say($"checkpoint {name} uploaded to {store.GetUri(folder)}");
            await PruneAsync(name).ConfigureAwait(false);
        }
        catch (Exception error) when (error is ArtifactStoreException or IOException)
        {
            // Training goes on: the next checkpoint is another chance, and a later attempt resumes from an older one.
            say($"checkpoint {name}: upload to {store.GetUri(folder)} failed: {error.Message}");
        }
    }

    private async Task PruneAsync(string uploaded)
    {
        var folders = await ListFoldersAsync(CancellationToken.None).ConfigureAwait(false);
        var keptCommitted = folders.Where(f => f.Value.Committed).Select(f => f.Key).Order(StringComparer.Ordinal).TakeLast(Math.Max(1, keep)).ToHashSet();
        foreach (var (name, folder) in folders)
        {
            // Older committed ones beyond the newest `keep`, and uncommitted leftovers of interrupted uploads older than
            // the one just uploaded (a newer uncommitted folder is cleared when this attempt reaches that step).
            var stale = folder.Committed ? !keptCommitted.Contains(name) : string.CompareOrdinal(name, uploaded) < 0;
            if (stale)
            {
                await DeleteFolderAsync(folder).ConfigureAwait(false);
            }
        }
    }

    private async Task DeleteFolderAsync(RemoteFolder folder)
    {
        // The marker first: from then on no reader treats the folder as a complete checkpoint.
        foreach (var key in folder.Keys.OrderBy(k => k.EndsWith("/" + CommittedMarker, StringComparison.Ordinal) ? 0 : 1))
        {
            await store.DeleteAsync(key).ConfigureAwait(false);
        }
    }

    private async Task<Dictionary<string, RemoteFolder>> ListFoldersAsync(CancellationToken cancellationToken)
    {
        var folders = new Dictionary<string, RemoteFolder>(StringComparer.Ordinal);
        await foreach (var info in store.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            var rest = info.Key[prefix.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || !rest.StartsWith(CheckpointPrefix, StringComparison.Ordinal) || info.Key.Contains(".whetstone-tmp-", StringComparison.Ordinal))
            {
                continue;
            }

            var name = rest[..slash];
            if (!folders.TryGetValue(name, out var folder))
            {
                folders[name] = folder = new RemoteFolder();
            }

            folder.Keys.Add(info.Key);
            folder.Committed |= rest[(slash + 1)..] == CommittedMarker;
        }

        return folders;
    }

    private sealed class RemoteFolder
    {
        public List<string> Keys { get; } = [];

        public bool Committed { get; set; }
    }
}

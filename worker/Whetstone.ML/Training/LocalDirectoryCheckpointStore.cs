using System.Globalization;

namespace Whetstone.ML.Training;

/// <summary>
/// Checkpoints as directories "checkpoint-000000200" under a root directory. A checkpoint is written into a hidden
/// staging directory beside them and renamed into place, so a crash mid-write never leaves a half checkpoint that
/// looks complete. Keeps the newest <paramref name="keep"/> checkpoints.
/// </summary>
public sealed class LocalDirectoryCheckpointStore(string root, int keep = 2) : ICheckpointStore
{
    private const string Prefix = "checkpoint-";
    private const string StagingPrefix = ".staging-";

    /// <summary>The directory holding the checkpoints.</summary>
    public string Root { get; } = Path.GetFullPath(root);

    /// <inheritdoc />
    public string CreateStagingDirectory()
    {
        // Same file system as the final directories, so the commit is a rename.
        var staging = Path.Combine(Root, StagingPrefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        return staging;
    }

    /// <inheritdoc />
    public Task CommitAsync(string stagingDirectory, long step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stagingDirectory);
        var target = Path.Combine(Root, Prefix + step.ToString("D9", CultureInfo.InvariantCulture));
        if (Directory.Exists(target))
        {
            // The same step checkpointed twice (periodic and on request): the newer write wins.
            var old = Path.Combine(Root, StagingPrefix + "old-" + Guid.NewGuid().ToString("N"));
            Directory.Move(target, old);
            Directory.Move(stagingDirectory, target);
            Directory.Delete(old, recursive: true);
        }
        else
        {
            Directory.Move(stagingDirectory, target);
        }

        Prune();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<string?> GetLatestAsync(CancellationToken cancellationToken)
        => Task.FromResult(ListCheckpoints().LastOrDefault());

    /// <summary>
    /// Deletes the staging directories of writes that never committed (a process killed or out of disk space
    /// mid-checkpoint) and returns how many there were. Call it only while no other process writes checkpoints here
    /// (the worker holds the job's attempt lock); the checkpoints themselves are never touched.
    /// </summary>
    public int RemoveStagingLeftovers()
    {
        if (!Directory.Exists(Root))
        {
            return 0;
        }

        var leftovers = Directory.GetDirectories(Root, StagingPrefix + "*");
        foreach (var leftover in leftovers)
        {
            Directory.Delete(leftover, recursive: true);
        }

        return leftovers.Length;
    }

    private List<string> ListCheckpoints()
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        return [.. Directory.GetDirectories(Root, Prefix + "*").Order(StringComparer.Ordinal)];
    }

    private void Prune()
    {
        var checkpoints = ListCheckpoints();
        foreach (var stale in checkpoints.Take(Math.Max(0, checkpoints.Count - Math.Max(1, keep))))
        {
            Directory.Delete(stale, recursive: true);
        }

        foreach (var leftover in Directory.GetDirectories(Root, StagingPrefix + "*"))
        {
            // Staging directories of a crashed earlier process; never one of this process's in-flight ones,
            // because the trainer commits before it stages the next.
            Directory.Delete(leftover, recursive: true);
        }
    }
}

using Whetstone.Api;
using Whetstone.Artifacts;
using Whetstone.ML.Training;

namespace Whetstone.Worker.Jobs;

/// <summary>
/// Where an attempt's checkpoints live: in place under a <c>file://</c> output, so a later attempt on this machine
/// resumes from them; under any other output, written locally and each one uploaded as soon as it is committed (the
/// newest one in the store is brought back first).
/// </summary>
/// <param name="Store">The store the trainer writes to and resumes from.</param>
/// <param name="SyncAsync">Waits until every committed checkpoint has reached the output.</param>
/// <param name="LocalDirectory">The folder on this machine the checkpoints are written to.</param>
internal sealed record JobCheckpoints(ICheckpointStore Store, Func<Task> SyncAsync, string LocalDirectory)
{
    /// <summary>The checkpoints under <paramref name="checkpointPrefix"/> of the output at <paramref name="outputUri"/>.</summary>
    public static async Task<JobCheckpoints> OpenAsync(IWorkerJobContext context, string outputUri, IArtifactStore output, string checkpointPrefix, Action<string> say, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(output);
        if (ArtifactUris.LocalPathOf(outputUri) is { } localOutput)
        {
            var root = Path.Combine(localOutput, checkpointPrefix.TrimEnd('/'));
            Directory.CreateDirectory(root);
            return new JobCheckpoints(WithoutLeftovers(new LocalDirectoryCheckpointStore(root), say), () => Task.CompletedTask, root);
        }

        var local = WithoutLeftovers(new LocalDirectoryCheckpointStore(Path.Combine(context.WorkDirectory, checkpointPrefix.TrimEnd('/'))), say);
        var mirrored = new MirroredCheckpointStore(local, output, checkpointPrefix, say);
        try
        {
            await mirrored.RestoreLatestAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is ArtifactStoreException or IOException)
        {
            throw new JobFailureException(ConditionReasons.ArtifactStoreError, $"restoring the latest checkpoint from {output.GetUri(checkpointPrefix)}: {error.Message}", error);
        }

        return new JobCheckpoints(mirrored, mirrored.DrainAsync, local.Root);
    }

    // The caller holds the job's attempt lock, so a staging folder here belongs to an attempt that has ended: it never
    // committed, is never resumed from, and only takes room (an attempt that failed StorageFull leaves one).
    private static LocalDirectoryCheckpointStore WithoutLeftovers(LocalDirectoryCheckpointStore store, Action<string> say)
    {
        if (store.RemoveStagingLeftovers() is > 0 and var removed)
        {
            say($"removed {removed} unfinished checkpoint folder(s) under {store.Root} left by an interrupted attempt");
        }

        return store;
    }
}

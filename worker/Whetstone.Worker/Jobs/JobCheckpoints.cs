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
internal sealed record JobCheckpoints(ICheckpointStore Store, Func<Task> SyncAsync)
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
            return new JobCheckpoints(new LocalDirectoryCheckpointStore(root), () => Task.CompletedTask);
        }

        var mirrored = new MirroredCheckpointStore(new LocalDirectoryCheckpointStore(Path.Combine(context.WorkDirectory, checkpointPrefix.TrimEnd('/'))), output, checkpointPrefix, say);
        try
        {
            await mirrored.RestoreLatestAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is ArtifactStoreException or IOException)
        {
            throw new JobFailureException(ConditionReasons.ArtifactStoreError, $"restoring the latest checkpoint from {output.GetUri(checkpointPrefix)}: {error.Message}", error);
        }

        return new JobCheckpoints(mirrored, mirrored.DrainAsync);
    }
}

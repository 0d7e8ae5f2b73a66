namespace Whetstone.ML.Training;

/// <summary>
/// Where training checkpoints go. The trainer writes a checkpoint's files into a staging directory and commits it;
/// a store makes it durable (locally, or by uploading it) so that a commit is all-or-nothing.
/// </summary>
public interface ICheckpointStore
{
    /// <summary>Creates an empty local directory for the trainer to write a checkpoint's files into.</summary>
    string CreateStagingDirectory();

    /// <summary>Makes the staged checkpoint of <paramref name="step"/> the latest one, atomically.</summary>
    Task CommitAsync(string stagingDirectory, long step, CancellationToken cancellationToken);

    /// <summary>A local directory holding the latest committed checkpoint, or null when there is none.</summary>
    Task<string?> GetLatestAsync(CancellationToken cancellationToken);
}

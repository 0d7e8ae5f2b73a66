namespace Whetstone.Artifacts;

/// <summary>What <see cref="IArtifactStore.CleanupAsync"/> removed.</summary>
/// <param name="TemporaryObjectsRemoved">Temporary keys or files of writes that never completed.</param>
/// <param name="OrphanSidecarsRemoved">Sidecar manifests whose artifact never became visible.</param>
/// <param name="IncompleteUploadsAborted">S3 multipart uploads aborted (always 0 for the file store).</param>
/// <param name="Notes">What could not be done, e.g. a server that does not implement listing multipart uploads.</param>
public sealed record CleanupReport(int TemporaryObjectsRemoved, int OrphanSidecarsRemoved, int IncompleteUploadsAborted, IReadOnlyList<string> Notes);

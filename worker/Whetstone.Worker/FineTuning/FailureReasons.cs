namespace Whetstone.Worker.FineTuning;

/// <summary>The reasons a fine-tune worker puts into its termination message; the operator copies them into the Failed condition.</summary>
internal static class FailureReasons
{
    public const string Diverged = "Diverged";
    public const string DatasetInvalid = "DatasetInvalid";
    public const string ModelInvalid = "ModelInvalid";
    public const string DigestMismatch = "DigestMismatch";
    public const string ArtifactStoreError = "ArtifactStoreError";
    public const string WorkerFailed = "WorkerFailed";
}

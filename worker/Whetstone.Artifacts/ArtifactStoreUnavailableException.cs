namespace Whetstone.Artifacts;

/// <summary>The store could not be reached or kept failing with transient errors after every retry.</summary>
public sealed class ArtifactStoreUnavailableException(Uri uri, string detail, Exception? innerException = null)
    : ArtifactStoreException(uri, $"artifact store unavailable for {uri}: {detail}", innerException);

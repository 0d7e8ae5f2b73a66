namespace Whetstone.Artifacts;

/// <summary>The artifact, or the bucket holding it, does not exist.</summary>
public sealed class ArtifactNotFoundException(Uri uri, string? detail = null, Exception? innerException = null)
    : ArtifactStoreException(uri, $"not found: {uri}{(detail is null ? "" : $" ({detail})")}", innerException);

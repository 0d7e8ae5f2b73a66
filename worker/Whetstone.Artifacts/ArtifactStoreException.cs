namespace Whetstone.Artifacts;

/// <summary>Base of every error the artifact stores raise; the message always names the artifact's URI.</summary>
public class ArtifactStoreException : Exception
{
    /// <summary>Creates the error for <paramref name="uri"/>.</summary>
    public ArtifactStoreException(Uri uri, string message, Exception? innerException = null)
        : base(message, innerException) => Uri = uri;

    /// <summary>The artifact or location the failed operation was about.</summary>
    public Uri Uri { get; }
}

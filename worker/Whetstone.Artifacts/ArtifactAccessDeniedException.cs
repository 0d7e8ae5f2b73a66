namespace Whetstone.Artifacts;

/// <summary>The store refused the credentials or the permission; retrying will not help.</summary>
public sealed class ArtifactAccessDeniedException(Uri uri, string serverCode, Exception? innerException = null)
    : ArtifactStoreException(uri, $"access denied for {uri}: check the access key and secret key ({serverCode})", innerException);

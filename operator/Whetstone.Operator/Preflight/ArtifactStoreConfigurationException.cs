namespace Whetstone.Operator.Preflight;

/// <summary>
/// The operator cannot build an artifact store client for a namespace: its Secret is missing, unreadable or
/// incomplete. Someone can fix that without touching the job, so the job waits rather than fails.
/// </summary>
public sealed class ArtifactStoreConfigurationException(string message, Exception? innerException = null)
    : Exception(message, innerException);

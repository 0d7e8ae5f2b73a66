namespace Whetstone.Worker.Compression;

/// <summary>An expected failure of a compression run, with the condition reason the operator records.</summary>
internal sealed class CompressionFailureException(string reason, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Reason { get; } = reason;
}

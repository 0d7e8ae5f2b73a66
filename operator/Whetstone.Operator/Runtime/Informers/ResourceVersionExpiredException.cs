namespace Whetstone.Operator.Runtime.Informers;

/// <summary>The server no longer has the history a watch asked for (HTTP 410 Gone): relist.</summary>
public sealed class ResourceVersionExpiredException(string message) : Exception(message);

namespace Whetstone.Cli.Kube;

/// <summary>A command was called wrongly (unknown kind, malformed reference, wrong kind for the action); exit code 2.</summary>
internal sealed class CliUsageException(string message) : Exception(message);

namespace Whetstone.Cli.Kube;

/// <summary>A command could not do what was asked (object not found, no worker pod yet); exit code 1.</summary>
internal sealed class CliFailureException(string message) : Exception(message);

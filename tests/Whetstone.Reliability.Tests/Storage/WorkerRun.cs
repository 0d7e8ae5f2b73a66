namespace Whetstone.Reliability.Tests.Storage;

/// <summary>How one run of the worker process ended.</summary>
/// <param name="ExitCode">The shell's exit status (128 + n when signal n ended the worker).</param>
/// <param name="Output">Its standard output and error.</param>
/// <param name="TerminationMessage">The termination message file's text, or null when none was written.</param>
/// <param name="Seconds">How long it ran.</param>
public sealed record WorkerRun(int ExitCode, string Output, string? TerminationMessage, double Seconds);

namespace Whetstone.Reliability.Tests.Results;

/// <summary>One fault the suite injected and what came of it: a row of the README's reliability table.</summary>
/// <param name="Fault">The fault, as injected.</param>
/// <param name="Test">The test that injected it (class and method).</param>
/// <param name="Happened">What happened, in words, with its figures.</param>
/// <param name="Recovered">Whether the system came back to doing its work.</param>
/// <param name="Lost">Whether anything was lost (a job, an update, an artifact, a duplicate made).</param>
/// <param name="Figures">Measured figures by name (seconds, counts, bytes).</param>
/// <param name="Gap">A known gap and its cause, or null.</param>
public sealed record ReliabilityRow(
    string Fault, string Test, string Happened, bool Recovered, bool Lost, IReadOnlyDictionary<string, double> Figures, string? Gap = null);

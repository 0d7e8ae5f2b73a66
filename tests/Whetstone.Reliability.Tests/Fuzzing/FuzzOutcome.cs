namespace Whetstone.Reliability.Tests.Fuzzing;

/// <summary>What one fuzz case got back.</summary>
/// <param name="Case">The case.</param>
/// <param name="Route">How it was sent: <c>http</c>, or the kubectl command.</param>
/// <param name="Accepted">Whether the object was accepted (stored).</param>
/// <param name="Code">The HTTP status (0 when the request got none; kubectl: 0).</param>
/// <param name="Problem">A defect: why the answer breaks the contract; null when it keeps it.</param>
public sealed record FuzzOutcome(FuzzCase Case, string Route, bool Accepted, int Code, string? Problem);

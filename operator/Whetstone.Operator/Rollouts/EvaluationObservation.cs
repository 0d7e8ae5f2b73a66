namespace Whetstone.Operator.Rollouts;

/// <summary>The EvaluationRun named by spec.canary.evaluationRunRef, as the planner needs it.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Found">Whether it exists.</param>
/// <param name="Finished">Whether it has a verdict (Succeeded or Failed).</param>
/// <param name="Verdict">Its verdict (Passed or Failed), when finished.</param>
/// <param name="EvaluatedDigest">The digest of the model it evaluated, when known.</param>
/// <param name="EvaluatedSameSource">Whether it evaluated the canary's model source (same job reference or URI).</param>
public sealed record EvaluationObservation(string Name, bool Found, bool Finished, string? Verdict, string? EvaluatedDigest, bool EvaluatedSameSource);

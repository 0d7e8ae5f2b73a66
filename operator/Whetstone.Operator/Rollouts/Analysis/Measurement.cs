namespace Whetstone.Operator.Rollouts.Analysis;

/// <summary>One metric measured once: the verdict and the numbers behind it.</summary>
/// <param name="Metric">The metric's name.</param>
/// <param name="Verdict">One of <see cref="Whetstone.Api.AnalysisVerdicts"/>.</param>
/// <param name="Reason">
/// Why, as a word: <c>WithinThreshold</c>, <c>AboveMax</c>, <c>BelowMin</c>, a <see cref="QueryProblems"/> value,
/// or a <see cref="TwoProportionTest"/> reason.
/// </param>
/// <param name="Value">The measured value (for a comparison, canary rate / stable rate); NaN when there is none.</param>
/// <param name="Query">The query sent (placeholders resolved; the canary success query for a comparison).</param>
/// <param name="Message">A sentence a person reads: the value against its threshold, the rates, or the error.</param>
/// <param name="At">When it was measured.</param>
public sealed record Measurement(string Metric, string Verdict, string Reason, double Value, string Query, string Message, DateTime At);

namespace Whetstone.Schema.Cel;

/// <summary>
/// An evaluation that ran out of its iteration budget. Unlike <see cref="CelEvaluationException"/> it is never
/// absorbed by <c>&amp;&amp;</c>, <c>||</c> or the macros: the whole evaluation stops and the rule fails.
/// </summary>
internal sealed class CelCostLimitExceededException(string message) : Exception(message);

namespace Whetstone.Schema.Cel;

/// <summary>
/// A rule that could not be evaluated (no such key, index out of bounds, division by zero, no matching
/// overload...). The validator reports it as an invalid value: a rule that fails to evaluate never passes.
/// </summary>
internal sealed class CelEvaluationException(string message) : Exception(message);

namespace Whetstone.Schema.Cel;

/// <summary>A compiled piece of an expression: reads variables from <paramref name="slots"/> and returns a CEL value.</summary>
internal delegate object? CelEvaluator(object?[] slots);

namespace Whetstone.Operator.Workers;

/// <summary>A condition a kind derives from a finished job's results (pure data; the planner writes it).</summary>
/// <param name="Type">The condition type (<c>Aligned</c>, <c>GatesPassed</c>).</param>
/// <param name="Holds">Whether the condition is True.</param>
/// <param name="Reason">The PascalCase reason.</param>
/// <param name="Message">What decided it, in words.</param>
public sealed record ResultCondition(string Type, bool Holds, string Reason, string Message);

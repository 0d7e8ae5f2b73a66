namespace Whetstone.Schema.Cel;

/// <summary><c>operand.field</c>; with <see cref="TestOnly"/> it is the presence test <c>has(operand.field)</c>.</summary>
internal sealed record CelSelect(int Position, CelExpr Operand, string Field, bool TestOnly) : CelExpr(Position);

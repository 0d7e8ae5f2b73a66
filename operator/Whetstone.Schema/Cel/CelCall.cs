namespace Whetstone.Schema.Cel;

/// <summary>
/// A function call, a method call (with <see cref="Target"/>) or an operator, which CEL also models as a call
/// named like <c>_+_</c>, <c>!_</c>, <c>_[_]</c>, <c>_?_:_</c>, <c>@in</c>.
/// </summary>
internal sealed record CelCall(int Position, CelExpr? Target, string Function, IReadOnlyList<CelExpr> Args) : CelExpr(Position);

namespace Whetstone.Schema.Cel;

/// <summary>A variable reference such as <c>self</c> or a macro's iteration variable.</summary>
internal sealed record CelIdent(int Position, string Name) : CelExpr(Position);

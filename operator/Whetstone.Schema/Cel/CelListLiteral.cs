namespace Whetstone.Schema.Cel;

/// <summary><c>[a, b, c]</c>.</summary>
internal sealed record CelListLiteral(int Position, IReadOnlyList<CelExpr> Items) : CelExpr(Position);

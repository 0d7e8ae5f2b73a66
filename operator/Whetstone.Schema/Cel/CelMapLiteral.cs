namespace Whetstone.Schema.Cel;

/// <summary><c>{k: v, ...}</c>.</summary>
internal sealed record CelMapLiteral(int Position, IReadOnlyList<CelMapEntry> Entries) : CelExpr(Position);

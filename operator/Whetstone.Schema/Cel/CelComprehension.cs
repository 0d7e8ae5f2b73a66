namespace Whetstone.Schema.Cel;

/// <summary>
/// A macro over a list or map: <c>all</c>, <c>exists</c>, <c>exists_one</c>, <c>filter</c> (one body: the
/// predicate), <c>map</c> (one body: the transform, or two: the filter then the transform).
/// </summary>
internal sealed record CelComprehension(int Position, string Macro, CelExpr Range, string Variable, IReadOnlyList<CelExpr> Body)
    : CelExpr(Position);

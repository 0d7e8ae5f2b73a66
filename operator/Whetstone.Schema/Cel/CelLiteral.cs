namespace Whetstone.Schema.Cel;

/// <summary>A constant: long, ulong, double, string, bool or null.</summary>
internal sealed record CelLiteral(int Position, object? Value) : CelExpr(Position);

namespace Whetstone.Schema.Cel;

/// <summary>A node of a parsed CEL expression; <see cref="Position"/> is its character offset, for errors.</summary>
internal abstract record CelExpr(int Position);

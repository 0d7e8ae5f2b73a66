namespace Whetstone.Schema.Cel;

/// <summary>One <c>key: value</c> of a map literal.</summary>
internal sealed record CelMapEntry(CelExpr Key, CelExpr Value);

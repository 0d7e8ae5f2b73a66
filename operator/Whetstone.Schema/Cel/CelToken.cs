namespace Whetstone.Schema.Cel;

/// <summary>One token: its kind, where it starts (character offset), its source text and its literal value.</summary>
internal readonly record struct CelToken(CelTokenKind Kind, int Position, string Text, object? Value = null);

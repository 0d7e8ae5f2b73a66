namespace Whetstone.Schema.Cel;

/// <summary>What an expression must produce, checked where it can be known before evaluation.</summary>
internal enum CelResultKind
{
    Any,
    Bool,
    String,
}

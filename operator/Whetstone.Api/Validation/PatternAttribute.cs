namespace Whetstone.Api.Validation;

/// <summary>A string field must match this regular expression (<c>pattern</c>).</summary>
/// <param name="regex">The ECMA-262 regular expression.</param>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PatternAttribute(string regex) : Attribute
{
    /// <summary>The ECMA-262 regular expression.</summary>
    public string Regex { get; } = regex;
}

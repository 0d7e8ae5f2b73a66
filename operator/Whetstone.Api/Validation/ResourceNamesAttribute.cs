namespace Whetstone.Api.Validation;

/// <summary>The CRD names a kind carries besides its kind and plural.</summary>
/// <param name="shortName">The short name (<c>ftj</c>).</param>
/// <param name="singular">The lower-case singular name.</param>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ResourceNamesAttribute(string shortName, string singular) : Attribute
{
    /// <summary>The short name.</summary>
    public string ShortName { get; } = shortName;

    /// <summary>The lower-case singular name.</summary>
    public string Singular { get; } = singular;

    /// <summary>The category the kind is listed in.</summary>
    public string Category { get; set; } = WhetstoneApi.Category;
}

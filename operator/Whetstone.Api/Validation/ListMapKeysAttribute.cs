namespace Whetstone.Api.Validation;

/// <summary>
/// The list is a map keyed by these fields (<c>x-kubernetes-list-type: map</c>): items must be unique by key, and
/// server-side apply merges items by key. Key fields must be required.
/// </summary>
/// <param name="keys">The key field names (JSON names).</param>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListMapKeysAttribute(params string[] keys) : Attribute
{
    /// <summary>The key field names.</summary>
    public IReadOnlyList<string> Keys { get; } = keys;
}

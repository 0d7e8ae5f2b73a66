using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>A reference to another object in the same namespace, by name.</summary>
public sealed record LocalObjectReference
{
    /// <summary>Name of the referenced object in this namespace.</summary>
    [Required]
    [Length(Min = 1, Max = 253)]
    [Pattern(Patterns.ObjectName)]
    public string Name { get; set; } = "";
}

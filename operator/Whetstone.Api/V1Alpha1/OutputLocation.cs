using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>Where a job writes its artifacts.</summary>
public sealed record OutputLocation
{
    /// <summary>
    /// A prefix (<c>s3://bucket/prefix/</c> or <c>file:///path/</c>); the job writes under <c>&lt;prefix&gt;/&lt;job uid&gt;/</c>
    /// and never overwrites anything.
    /// </summary>
    [Required]
    [Length(Max = 2048)]
    [Pattern(Patterns.ArtifactUri)]
    public string Uri { get; set; } = "";
}

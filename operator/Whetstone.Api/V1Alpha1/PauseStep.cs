using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>Wait before the next step.</summary>
public sealed record PauseStep
{
    /// <summary>How long to wait (such as <c>10m</c>); omitted: until promoted by hand (<c>whetstone.dev/promote=step</c>).</summary>
    [Pattern(Patterns.Duration)]
    public string? Duration { get; set; }
}

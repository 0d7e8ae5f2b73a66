using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>One version of the model in a rollout.</summary>
public sealed record RolloutTrack
{
    /// <summary>The model served by this track.</summary>
    [Required]
    public ModelSource Model { get; set; } = new();

    /// <summary>Version label of this track (in pod labels, metrics and status).</summary>
    [Required]
    [Length(Min = 1, Max = 63)]
    [Pattern(Patterns.LabelValue)]
    public string Version { get; set; } = "";

    /// <summary>Refuse to start the rollout unless this EvaluationRun's verdict is Passed (canary only).</summary>
    public LocalObjectReference? EvaluationRunRef { get; set; }
}

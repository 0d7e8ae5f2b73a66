using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>One step of a rollout; exactly one of setWeight or pause.</summary>
[CelRule("(has(self.setWeight) ? 1 : 0) + (has(self.pause) ? 1 : 0) == 1",
    Message = "each step must set exactly one of setWeight or pause")]
public sealed record RolloutStep
{
    /// <summary>Percent of traffic sent to the canary from this step on.</summary>
    [Range(Minimum = 0, Maximum = 100)]
    public int? SetWeight { get; set; }

    /// <summary>Wait (analysis keeps running).</summary>
    public PauseStep? Pause { get; set; }
}

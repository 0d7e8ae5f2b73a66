using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>The steps of the rollout and the analysis that guards them.</summary>
public sealed record RolloutStrategy
{
    /// <summary>
    /// Steps run in order; setWeight values must not decrease. After the last step the canary gets 100% and is
    /// promoted.
    /// </summary>
    [Required]
    [Items(Min = 1, Max = 20)]
    [CelRule("[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18].all(i, i + 1 >= size(self.filter(s, has(s.setWeight))) || self.filter(s, has(s.setWeight))[i].setWeight <= self.filter(s, has(s.setWeight))[i + 1].setWeight)",
        Message = "setWeight must not decrease from one step to a later one")]
    public IList<RolloutStep> Steps { get; set; } = [];

    /// <summary>Metrics checked during the rollout; omitted: none (steps alone).</summary>
    public RolloutAnalysis? Analysis { get; set; }
}

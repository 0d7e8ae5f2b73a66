using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>Stop training once the validation loss stops improving; the job still succeeds (reason EarlyStopped).</summary>
public sealed record EarlyStopping
{
    /// <summary>Evaluations without an improvement of at least minDelta before training stops.</summary>
    [Range(Minimum = 1, Maximum = 1000)]
    [DefaultValue(3)]
    public int? Patience { get; set; }

    /// <summary>The smallest decrease of the validation loss that counts as an improvement.</summary>
    [Range(Minimum = 0)]
    [DefaultValue(0.001)]
    public double? MinDelta { get; set; }
}

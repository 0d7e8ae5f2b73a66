using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>Stop training once the validation loss stops improving; the job still succeeds (reason EarlyStopped).</summary>
public sealed record EarlyStopping
{
    /// <summary>The default of <see cref="Patience"/>, the CRD default and the worker's.</summary>
    public const int DefaultPatience = 3;

    /// <summary>The default of <see cref="MinDelta"/>, the CRD default and the worker's.</summary>
    public const double DefaultMinDelta = 0.001;

    /// <summary>Evaluations without an improvement of at least minDelta before training stops.</summary>
    [Range(Minimum = 1, Maximum = 1000)]
    [DefaultValue(DefaultPatience)]
    public int? Patience { get; set; }

    /// <summary>The smallest decrease of the validation loss that counts as an improvement.</summary>
    [Range(Minimum = 0)]
    [DefaultValue(DefaultMinDelta)]
    public double? MinDelta { get; set; }
}

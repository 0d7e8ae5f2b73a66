using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>Fractions of the cleaned records that go to each split, and the seed of the shuffle.</summary>
[CelRule("(has(self.train) ? self.train : 0.8) + (has(self.validation) ? self.validation : 0.1) + (has(self.test) ? self.test : 0.1) > 0.999 && (has(self.train) ? self.train : 0.8) + (has(self.validation) ? self.validation : 0.1) + (has(self.test) ? self.test : 0.1) < 1.001",
    Message = "split fractions (train + validation + test) must sum to 1")]
public sealed record DatasetSplit
{
    /// <summary>Fraction for training.</summary>
    [Range(Minimum = 0, Maximum = 1, ExclusiveMinimum = true)]
    [DefaultValue(0.8)]
    public double? Train { get; set; }

    /// <summary>Fraction for validation (early stopping and validation loss).</summary>
    [Range(Minimum = 0, Maximum = 1)]
    [DefaultValue(0.1)]
    public double? Validation { get; set; }

    /// <summary>Fraction held out for testing (an EvaluationRun reads it with <c>split: test</c>).</summary>
    [Range(Minimum = 0, Maximum = 1)]
    [DefaultValue(0.1)]
    public double? Test { get; set; }

    /// <summary>Seed of the shuffle; the same data and seed give the same split.</summary>
    [Range(Minimum = 0)]
    [DefaultValue(42)]
    public long? Seed { get; set; }
}

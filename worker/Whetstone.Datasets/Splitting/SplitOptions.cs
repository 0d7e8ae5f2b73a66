namespace Whetstone.Datasets.Splitting;

/// <summary>Train / validation / test fractions and the shuffle seed (api.md <c>spec.dataset.split</c>).</summary>
public sealed record SplitOptions
{
    /// <summary>How far the fractions may be from summing to 1.</summary>
    public const double SumTolerance = 1e-6;

    /// <summary>Fraction for training (default 0.8).</summary>
    public double Train { get; init; } = 0.8;

    /// <summary>Fraction for validation (default 0.1).</summary>
    public double Validation { get; init; } = 0.1;

    /// <summary>Fraction for the held-out test split (default 0.1).</summary>
    public double Test { get; init; } = 0.1;

    /// <summary>Seed of the shuffle (default 42).</summary>
    public long Seed { get; init; } = 42;

    /// <summary>Throws <see cref="DatasetOptionsException"/> naming <c>spec.dataset.split</c> when the fractions are invalid.</summary>
    public void Validate()
    {
        foreach (var (name, value) in new[] { ("train", Train), ("validation", Validation), ("test", Test) })
        {
            if (double.IsNaN(value) || value < 0 || value > 1)
            {
                throw new DatasetOptionsException($"spec.dataset.split.{name}", $"must be between 0 and 1 (got {value.ToString(System.Globalization.CultureInfo.InvariantCulture)})");
            }
        }

        var sum = Train + Validation + Test;
        if (Math.Abs(sum - 1) > SumTolerance)
        {
            throw new DatasetOptionsException(
                "spec.dataset.split",
                $"train + validation + test must sum to 1 (got {sum.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture)})");
        }
    }
}

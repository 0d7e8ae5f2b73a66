using Whetstone.Datasets.Splitting;

namespace Whetstone.Datasets.Tests.Splitting;

public sealed class SplitOptionsTest
{
    [Fact]
    public void Fractions_not_summing_to_one_name_spec_dataset_split()
    {
        var error = Assert.Throws<DatasetOptionsException>(() => new SplitOptions { Train = 0.8, Validation = 0.1, Test = 0.05 }.Validate());
        Assert.Equal("spec.dataset.split", error.Field);
        Assert.Equal("spec.dataset.split: train + validation + test must sum to 1 (got 0.95)", error.Message);
    }

    [Fact]
    public void A_sum_within_the_tolerance_is_accepted()
    {
        new SplitOptions { Train = 0.7, Validation = 0.2, Test = 0.1 }.Validate();
        new SplitOptions { Train = 1.0 / 3, Validation = 1.0 / 3, Test = 1.0 / 3 }.Validate();
        new SplitOptions { Train = 0.8000005, Validation = 0.1, Test = 0.1 }.Validate();
    }

    [Fact]
    public void A_sum_just_outside_the_tolerance_is_rejected() =>
        Assert.Throws<DatasetOptionsException>(() => new SplitOptions { Train = 0.800002, Validation = 0.1, Test = 0.1 }.Validate());

    [Fact]
    public void A_negative_fraction_names_its_field()
    {
        var error = Assert.Throws<DatasetOptionsException>(() => new SplitOptions { Train = 0.9, Validation = 0.2, Test = -0.1 }.Validate());
        Assert.Equal("spec.dataset.split.test: must be between 0 and 1 (got -0.1)", error.Message);
    }
}

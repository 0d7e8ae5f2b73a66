using TorchSharp;
using TorchSharp.Modules;
using Whetstone.ML.Training;
using static TorchSharp.torch;

namespace Whetstone.ML.Tests.Training;

public sealed class GradientScalerTest
{
    private static Parameter WithGradient(float[] gradient)
    {
        var parameter = new Parameter(zeros(gradient.Length));
        parameter.grad = tensor(gradient);
        return parameter;
    }

    [Fact]
    public void Unscaling_divides_every_gradient_by_the_scale_and_reports_them_finite()
    {
        var scaler = new GradientScaler(new LossScalingOptions(InitialScale: 1024));
        using var loss = tensor(0.5f);
        Assert.Equal(512f, scaler.ScaleLoss(loss).item<float>());
        var first = WithGradient([1024f, -2048f]);
        var second = WithGradient([3072f]);

        Assert.True(scaler.UnscaleGradients([first, second]));
        Assert.Equal([1f, -2f], first.grad!.data<float>().ToArray());
        Assert.Equal([3f], second.grad!.data<float>().ToArray());
    }

    [Theory]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    [InlineData(float.NaN)]
    public void An_injected_non_finite_gradient_is_reported_and_halves_the_scale(float injected)
    {
        var scaler = new GradientScaler(new LossScalingOptions(InitialScale: 65536, GrowthInterval: 3));
        scaler.Update(gradientsFinite: true);
        scaler.Update(gradientsFinite: true);
        var healthy = WithGradient([1f, 2f]);
        var broken = WithGradient([1f, injected]);

        var finite = scaler.UnscaleGradients([healthy, broken]);
        scaler.Update(finite);

        Assert.False(finite);
        Assert.Equal(32768, scaler.Scale);
        Assert.Equal(0, scaler.GoodSteps);
        Assert.Equal(1, scaler.SkippedSteps);
    }

    [Fact]
    public void The_scale_grows_after_the_growth_interval_of_good_steps_in_a_row()
    {
        var scaler = new GradientScaler(new LossScalingOptions(InitialScale: 256, GrowthFactor: 2, BackoffFactor: 0.5, GrowthInterval: 3));
        scaler.Update(true);
        scaler.Update(true);
        Assert.Equal(256, scaler.Scale);
        scaler.Update(true);
        Assert.Equal(512, scaler.Scale);
        Assert.Equal(0, scaler.GoodSteps);

        // An overflow in between restarts the count.
        scaler.Update(true);
        scaler.Update(false);
        scaler.Update(true);
        scaler.Update(true);
        Assert.Equal(256, scaler.Scale);
        scaler.Update(true);
        Assert.Equal(512, scaler.Scale);
        Assert.Equal(1, scaler.SkippedSteps);
    }

    [Fact]
    public void A_scaler_restored_from_its_state_continues_where_it_was()
    {
        var options = new LossScalingOptions(InitialScale: 1024, GrowthInterval: 2);
        var scaler = new GradientScaler(options);
        scaler.Update(false);
        scaler.Update(true);
        var restored = new GradientScaler(options, scaler.State);
        Assert.Equal(scaler.State, restored.State);
        restored.Update(true);
        Assert.Equal(1024, restored.Scale);
    }

    [Fact]
    public void The_scale_never_grows_past_the_float_range()
    {
        var scaler = new GradientScaler(new LossScalingOptions(InitialScale: 2e38, GrowthInterval: 1));
        scaler.Update(true);
        Assert.Equal(2e38, scaler.Scale);
    }

    [Theory]
    [InlineData(0.0, 2.0, 0.5, 10, "lossScaling.initialScale")]
    [InlineData(double.PositiveInfinity, 2.0, 0.5, 10, "lossScaling.initialScale")]
    [InlineData(1.0, 1.0, 0.5, 10, "lossScaling.growthFactor")]
    [InlineData(1.0, 2.0, 1.0, 10, "lossScaling.backoffFactor")]
    [InlineData(1.0, 2.0, 0.5, 0, "lossScaling.growthInterval")]
    public void Bad_options_are_refused_naming_the_field(double initial, double growth, double backoff, int interval, string field)
    {
        var error = Assert.Throws<ArgumentException>(() => new TrainingOptions { LossScaling = new LossScalingOptions(initial, growth, backoff, interval) }.Validate());
        Assert.StartsWith(field, error.Message, StringComparison.Ordinal);
    }
}

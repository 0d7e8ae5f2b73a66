using Whetstone.ML.Training;

namespace Whetstone.ML.Tests.Training;

public sealed class TrainingCostEstimatorTest
{
    [Fact]
    public void Full_fine_tuning_costs_six_flops_per_parameter_per_token()
        => Assert.Equal(6.0 * 1_000_000 * 5_000, TrainingCostEstimator.CalculateTrainingFlops(1_000_000, 1_000_000, 5_000, isLora: false));

    [Fact]
    public void Lora_costs_four_flops_per_frozen_parameter_and_six_per_adapter_parameter()
        => Assert.Equal(((4.0 * 1_000_000) + (6.0 * 8_000)) * 5_000, TrainingCostEstimator.CalculateTrainingFlops(1_000_000, 8_000, 5_000, isLora: true));

    [Fact]
    public void Lora_with_small_adapters_costs_about_two_thirds_of_full()
    {
        var full = TrainingCostEstimator.CalculateTrainingFlops(1_000_000_000, 1_000_000_000, 1_000, isLora: false);
        var lora = TrainingCostEstimator.CalculateTrainingFlops(1_000_000_000, 4_000_000, 1_000, isLora: true);
        Assert.InRange(lora / full, 0.66, 0.68);
    }

    [Fact]
    public void The_estimate_turns_flops_into_gpu_seconds_and_cost_with_the_gpu_type_rate()
    {
        var options = new TrainingCostOptions(GpuHourPrice: 2.5, GpuType: "nvidia-h100");
        var estimate = TrainingCostEstimator.Estimate(1_000_000_000, 1_000_000_000, isLora: false, trainTokens: 100_000_000, validationTokens: 0, evaluations: 0, options);
        Assert.Equal(6e17, estimate.Flops);
        Assert.Equal(6e17 / 4.0e14, estimate.GpuSeconds, 6);
        Assert.Equal(6e17 / 4.0e14 / 3600 * 2.5, estimate.Cost, 9);
    }

    [Fact]
    public void Validation_passes_add_forward_flops()
    {
        var options = new TrainingCostOptions(1.0);
        var without = TrainingCostEstimator.Estimate(1000, 10, isLora: true, 100, 0, 0, options);
        var with = TrainingCostEstimator.Estimate(1000, 10, isLora: true, 100, 50, 4, options);
        Assert.Equal(2.0 * 1010 * 50 * 4, with.Flops - without.Flops);
    }

    [Theory]
    [InlineData("NVIDIA-A100-SXM4-80GB", 1.25e14)]
    [InlineData("NVIDIA-H100-80GB-HBM3", 4.0e14)]
    [InlineData("NVIDIA-H200", 4.0e14)]
    [InlineData("NVIDIA-L40S", 1.45e14)]
    [InlineData("NVIDIA-L4", 4.8e13)]
    [InlineData("Tesla-T4", 2.6e13)]
    public void A_real_gpu_product_label_is_priced_by_its_family(string product, double flopsPerSecond)
        => Assert.Equal(flopsPerSecond, new TrainingCostOptions(1.0, product).FlopsPerSecondPerGpu);

    [Fact]
    public void An_unknown_gpu_type_uses_the_default_rate()
        => Assert.Equal(TrainingCostOptions.DefaultEffectiveFlopsPerSecond, new TrainingCostOptions(1.0, "someone-x9").FlopsPerSecondPerGpu);

    [Fact]
    public void The_measured_cost_counts_every_gpu()
    {
        var measured = TrainingCostEstimator.Measure(1800, new TrainingCostOptions(GpuHourPrice: 2.0, GpuCount: 2));
        Assert.Equal(3600, measured.GpuSeconds);
        Assert.Equal(2.0, measured.Cost, 12);
    }

    [Fact]
    public void A_planned_run_counts_truncated_tokens_over_its_steps_and_its_validation_passes()
    {
        List<TrainingExample> train = [.. Enumerable.Range(0, 10).Select(_ => TrainingExample.AllTokens(new int[20]))];
        List<TrainingExample> validation = [TrainingExample.AllTokens(new int[8]), TrainingExample.AllTokens(new int[30])];
        var training = new TrainingOptions { Epochs = 3, BatchSize = 5, MaxSequenceLength = 16, EvaluateEverySteps = 4 };
        var options = new TrainingCostOptions(1.0);
        var run = TrainingCostEstimator.EstimateRun(1000, 1000, isLora: false, train, validation, training, options);

        // 6 steps: 3 epochs × 10 examples × 16 tokens; validation (8 + 16 tokens) after step 4 and after step 6.
        var expected = TrainingCostEstimator.Estimate(1000, 1000, isLora: false, trainTokens: 480, validationTokens: 24, evaluations: 2, options);
        Assert.Equal(expected, run);
    }
}

using Whetstone.Api.V1Alpha1;
using Whetstone.ML.Monitoring;
using Whetstone.ML.Training;
using Whetstone.Worker.FineTuning;

namespace Whetstone.Worker.Tests.FineTuning;

/// <summary>
/// The spec → trainer options mapping, case by case: each test writes a spec as a user would and states the options
/// it must give as plain numbers (the documented defaults of api.md, or the values written).
/// </summary>
public sealed class FineTuneTrainingOptionsTest
{
    [Fact]
    public void An_empty_spec_trains_with_the_documented_defaults()
    {
        var options = FineTuneTrainingOptions.Calculate(new FineTuneJobSpec(), padTokenId: 0, trainCount: 800);

        Assert.Equal(3, options.Epochs);
        Assert.Equal(8, options.BatchSize);
        Assert.Equal(1, options.GradientAccumulationSteps);
        Assert.Equal(2.0e-4, options.LearningRate);
        Assert.Equal(LearningRateScheduleKind.Cosine, options.LearningRateSchedule);
        Assert.Equal(0.03, options.WarmupRatio);
        Assert.Equal(0.0, options.WeightDecay);
        Assert.Equal(1.0, options.MaxGradNorm);
        Assert.Equal(512, options.MaxSequenceLength);
        Assert.Equal(TrainingPrecision.Bf16, options.Precision);
        Assert.Equal(42, options.Seed);
        Assert.Equal(200, options.CheckpointEverySteps);
        Assert.Equal(new EarlyStoppingOptions(3, 0.001), options.EarlyStopping);
        Assert.Equal(new DivergenceOptions(3.0), options.Divergence);
        Assert.True(options.PackSequences, "fine-tuning packs examples into rows instead of padding each");
    }

    [Fact]
    public void The_tokenizer_pad_id_is_passed_through()
    {
        Assert.Equal(7, FineTuneTrainingOptions.Calculate(new FineTuneJobSpec(), padTokenId: 7, trainCount: 10).PadTokenId);
    }

    [Fact]
    public void Written_hyperparameters_replace_every_default()
    {
        var spec = new FineTuneJobSpec
        {
            Hyperparameters = new Hyperparameters
            {
                Epochs = 5,
                BatchSize = 4,
                GradientAccumulationSteps = 2,
                LearningRate = 1.0e-3,
                WarmupRatio = 0.1,
                WeightDecay = 0.01,
                MaxGradNorm = 0.5,
                MaxSequenceLength = 128,
                Precision = "fp16",
                Seed = 7,
            },
            CheckpointEverySteps = 25,
        };

        var options = FineTuneTrainingOptions.Calculate(spec, padTokenId: 0, trainCount: 100);

        Assert.Equal(5, options.Epochs);
        Assert.Equal(4, options.BatchSize);
        Assert.Equal(2, options.GradientAccumulationSteps);
        Assert.Equal(1.0e-3, options.LearningRate);
        Assert.Equal(0.1, options.WarmupRatio);
        Assert.Equal(0.01, options.WeightDecay);
        Assert.Equal(0.5, options.MaxGradNorm);
        Assert.Equal(128, options.MaxSequenceLength);
        Assert.Equal(TrainingPrecision.Fp16, options.Precision);
        Assert.Equal(7, options.Seed);
        Assert.Equal(25, options.CheckpointEverySteps);
    }

    [Theory]
    [InlineData("constant", LearningRateScheduleKind.Constant)]
    [InlineData("linear", LearningRateScheduleKind.Linear)]
    [InlineData("cosine", LearningRateScheduleKind.Cosine)]
    public void Each_schedule_name_selects_its_schedule(string written, LearningRateScheduleKind expected)
    {
        var spec = new FineTuneJobSpec { Hyperparameters = new Hyperparameters { LrSchedule = written } };

        Assert.Equal(expected, FineTuneTrainingOptions.Calculate(spec, padTokenId: 0, trainCount: 10).LearningRateSchedule);
    }

    [Theory]
    [InlineData("fp32", TrainingPrecision.Fp32)]
    [InlineData("fp16", TrainingPrecision.Fp16)]
    [InlineData("bf16", TrainingPrecision.Bf16)]
    public void Each_precision_name_selects_its_precision(string written, TrainingPrecision expected)
    {
        var spec = new FineTuneJobSpec { Hyperparameters = new Hyperparameters { Precision = written } };

        Assert.Equal(expected, FineTuneTrainingOptions.Calculate(spec, padTokenId: 0, trainCount: 10).Precision);
    }

    [Fact]
    public void Early_stopping_and_divergence_take_the_written_limits()
    {
        var spec = new FineTuneJobSpec
        {
            EarlyStopping = new EarlyStopping { Patience = 5, MinDelta = 0.01 },
            Divergence = new Divergence { MaxLossIncrease = 1.5 },
        };

        var options = FineTuneTrainingOptions.Calculate(spec, padTokenId: 0, trainCount: 10);

        Assert.Equal(new EarlyStoppingOptions(5, 0.01), options.EarlyStopping);
        Assert.Equal(new DivergenceOptions(1.5), options.Divergence);
    }

    [Theory]
    [InlineData(800, 30)] // 3 epochs × 100 steps of 8 examples = 300 steps: a validation pass every 30
    [InlineData(81, 3)] // 3 epochs × 11 steps (the last one short) = 33 steps: every 3
    [InlineData(8, 1)] // 3 steps: every step, never every 0
    public void Validation_runs_about_ten_times_per_run(int trainCount, int everySteps)
    {
        Assert.Equal(everySteps, FineTuneTrainingOptions.Calculate(new FineTuneJobSpec(), padTokenId: 0, trainCount).EvaluateEverySteps);
    }

    [Fact]
    public void A_seed_beyond_the_int_range_wraps_instead_of_overflowing()
    {
        var spec = new FineTuneJobSpec { Hyperparameters = new Hyperparameters { Seed = 4_294_967_296 } };

        Assert.Equal(2, FineTuneTrainingOptions.Calculate(spec, padTokenId: 0, trainCount: 10).Seed);
    }

    [Fact]
    public void LoRA_is_the_default_method_and_Full_turns_it_off()
    {
        Assert.True(FineTuneTrainingOptions.IsLora(new FineTuneJobSpec()));
        Assert.Equal("LoRA", FineTuneTrainingOptions.MethodName(new FineTuneJobSpec { Method = new FineTuneMethod { Type = "LoRA" } }));
        var full = new FineTuneJobSpec { Method = new FineTuneMethod { Type = "Full", Lora = new LoraConfig { Rank = 4 } } };
        Assert.False(FineTuneTrainingOptions.IsLora(full));
        Assert.Equal("Full", FineTuneTrainingOptions.MethodName(full));
    }

    [Fact]
    public void An_adapter_without_settings_gets_rank_8_alpha_16_on_the_query_and_value_projections()
    {
        var lora = FineTuneTrainingOptions.CalculateLora(new FineTuneJobSpec());

        Assert.Equal(8, lora.Rank);
        Assert.Equal(16, lora.Alpha);
        Assert.Equal(0.05, lora.Dropout);
        Assert.Equal(["q_proj", "v_proj"], lora.TargetModules);
    }

    [Fact]
    public void A_written_adapter_keeps_its_rank_alpha_dropout_and_modules()
    {
        var spec = new FineTuneJobSpec
        {
            Method = new FineTuneMethod { Type = "LoRA", Lora = new LoraConfig { Rank = 16, Alpha = 32, Dropout = 0.1, TargetModules = ["q_proj", "k_proj", "o_proj"] } },
        };

        var lora = FineTuneTrainingOptions.CalculateLora(spec);

        Assert.Equal(16, lora.Rank);
        Assert.Equal(32, lora.Alpha);
        Assert.Equal(0.1, lora.Dropout);
        Assert.Equal(["q_proj", "k_proj", "o_proj"], lora.TargetModules);
    }

    [Fact]
    public void An_empty_target_module_list_falls_back_to_the_default_modules()
    {
        var spec = new FineTuneJobSpec { Method = new FineTuneMethod { Lora = new LoraConfig { TargetModules = [] } } };

        Assert.Equal(["q_proj", "v_proj"], FineTuneTrainingOptions.CalculateLora(spec).TargetModules);
    }

    [Fact]
    public void Cost_is_priced_by_the_written_gpu_product_count_and_hourly_price()
    {
        var spec = new FineTuneJobSpec
        {
            Cost = new CostSettings { GpuHourPrice = 2.5 },
            Resources = new WorkerResources { Gpu = new GpuResources { Product = "NVIDIA-H100-80GB-HBM3", Count = 2 } },
        };

        Assert.Equal(new TrainingCostOptions(2.5, "NVIDIA-H100-80GB-HBM3", 2), FineTuneTrainingOptions.CalculateCost(spec));
    }

    [Fact]
    public void A_spec_without_gpus_or_price_is_an_unpriced_cpu_run()
    {
        Assert.Equal(new TrainingCostOptions(0, "nvidia-a100", 0), FineTuneTrainingOptions.CalculateCost(new FineTuneJobSpec()));
    }
}

namespace Whetstone.ML.Training;

/// <summary>
/// Estimates training compute from parameter and token counts, and prices it.
/// <para>Full fine-tuning: FLOPs ≈ 6 · P · T (forward 2·P·T, backward 4·P·T: gradients with respect to both
/// activations and weights), the usual transformer estimate.</para>
/// <para>LoRA: the frozen base still runs forward (2·P·T) and still passes gradients back through every layer to
/// reach the adapters (≈ 2·P·T), but computes no weight gradients for frozen weights. The adapter weights
/// (P_train) cost the full 6·P_train·T. So FLOPs ≈ (4·P + 6·P_train) · T, about two thirds of a full fine-tune when
/// P_train ≪ P. (The simpler "2·P + 4·P_train" omits the activation gradients through the frozen layers, which are
/// real work.)</para>
/// <para>Validation adds a forward pass, 2 · (P + P_train) · T_val per evaluation. Attention's own FLOPs
/// (∝ sequence length²) are left out; at the sequence lengths fine-tuning uses they are a few percent.</para>
/// </summary>
public static class TrainingCostEstimator
{
    /// <summary>FLOPs of training: <paramref name="trainTokens"/> is every token the optimizer steps see, summed over epochs.</summary>
    public static double CalculateTrainingFlops(long baseParameters, long trainableParameters, long trainTokens, bool isLora)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(baseParameters);
        ArgumentOutOfRangeException.ThrowIfNegative(trainableParameters);
        ArgumentOutOfRangeException.ThrowIfNegative(trainTokens);
        return isLora
            ? ((4.0 * baseParameters) + (6.0 * trainableParameters)) * trainTokens
            : 6.0 * baseParameters * trainTokens;
    }

    /// <summary>FLOPs of the validation passes: forward only.</summary>
    public static double CalculateEvaluationFlops(long totalParameters, long validationTokens, long evaluations)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalParameters);
        ArgumentOutOfRangeException.ThrowIfNegative(validationTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(evaluations);
        return 2.0 * totalParameters * validationTokens * evaluations;
    }

    /// <summary>
    /// Estimate for a run. For LoRA, <paramref name="baseParameters"/> excludes the adapters and
    /// <paramref name="trainableParameters"/> counts them; for full fine-tuning both are the model's parameter count.
    /// </summary>
    public static TrainingCostEstimate Estimate(long baseParameters, long trainableParameters, bool isLora, long trainTokens, long validationTokens, long evaluations, TrainingCostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var total = isLora ? baseParameters + trainableParameters : baseParameters;
        var flops = CalculateTrainingFlops(baseParameters, trainableParameters, trainTokens, isLora)
            + CalculateEvaluationFlops(total, validationTokens, evaluations);

        // FLOPs spread over the GPUs: wall time shrinks by the count, GPU-seconds do not.
        var gpuSeconds = flops / options.FlopsPerSecondPerGpu;
        return new TrainingCostEstimate(flops, gpuSeconds, Price(gpuSeconds, options));
    }

    /// <summary>
    /// Estimate for a planned run: counts the (truncated) tokens of one pass over each split, scales the training
    /// tokens by the planned steps and counts the validation passes the options ask for.
    /// </summary>
    public static TrainingCostEstimate EstimateRun(long baseParameters, long trainableParameters, bool isLora, IReadOnlyList<TrainingExample> train, IReadOnlyList<TrainingExample> validation, TrainingOptions training, TrainingCostOptions options)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(training);
        var plan = TrainingPlan.Create(train.Count, training);
        var tokensPerEpoch = train.Sum(e => (long)Math.Min(e.InputIds.Length, training.MaxSequenceLength));
        var trainTokens = (long)Math.Round((double)tokensPerEpoch * plan.TotalSteps / plan.StepsPerEpoch);
        var validationTokens = validation.Sum(e => (long)Math.Min(e.InputIds.Length, training.MaxSequenceLength));
        var evaluations = validation.Count == 0 ? 0
            : (training.EvaluateEverySteps > 0 ? plan.TotalSteps / training.EvaluateEverySteps : 0) + (training.EvaluateEverySteps > 0 && plan.TotalSteps % training.EvaluateEverySteps == 0 ? 0 : 1);
        return Estimate(baseParameters, trainableParameters, isLora, trainTokens, validationTokens, evaluations, options);
    }

    /// <summary>The measured cost of a run that took <paramref name="wallSeconds"/> on <see cref="TrainingCostOptions.GpuCount"/> GPUs.</summary>
    public static TrainingCostEstimate Measure(double wallSeconds, TrainingCostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(wallSeconds);
        var gpuSeconds = wallSeconds * options.GpuCount;
        return new TrainingCostEstimate(0, gpuSeconds, Price(gpuSeconds, options));
    }

    private static double Price(double gpuSeconds, TrainingCostOptions options) => gpuSeconds / 3600.0 * options.GpuHourPrice;
}

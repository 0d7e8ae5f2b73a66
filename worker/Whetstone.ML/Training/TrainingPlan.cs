namespace Whetstone.ML.Training;

/// <summary>
/// How a data set and options turn into optimizer steps: micro-batches per epoch, steps per epoch (the last step of
/// an epoch may accumulate fewer micro-batches), and the total. Pure.
/// </summary>
/// <param name="ExampleCount">Training examples.</param>
/// <param name="BatchSize">Examples per micro-batch.</param>
/// <param name="GradientAccumulationSteps">Micro-batches per optimizer step.</param>
/// <param name="TotalSteps">Optimizer steps of the run.</param>
public sealed record TrainingPlan(int ExampleCount, int BatchSize, int GradientAccumulationSteps, long TotalSteps)
{
    /// <summary>Micro-batches per epoch.</summary>
    public int BatchesPerEpoch => (ExampleCount + BatchSize - 1) / BatchSize;

    /// <summary>Optimizer steps per epoch.</summary>
    public int StepsPerEpoch => (BatchesPerEpoch + GradientAccumulationSteps - 1) / GradientAccumulationSteps;

    /// <summary>Plans a run over <paramref name="exampleCount"/> examples.</summary>
    public static TrainingPlan Create(int exampleCount, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (exampleCount < 1)
        {
            throw new ArgumentException("The training split is empty: there is nothing to train on.", nameof(exampleCount));
        }

        var draft = new TrainingPlan(exampleCount, options.BatchSize, options.GradientAccumulationSteps, 0);
        return draft with { TotalSteps = options.MaxSteps ?? ((long)options.Epochs * draft.StepsPerEpoch) };
    }

    /// <summary>0-based epoch of optimizer step <paramref name="step"/> (0-based).</summary>
    public int EpochOf(long step) => (int)(step / StepsPerEpoch);

    /// <summary>The example index ranges [start, end) of each micro-batch of step <paramref name="step"/>, in positions of the epoch's order.</summary>
    public IReadOnlyList<(int Start, int End)> MicroBatchesOf(long step)
    {
        var window = (int)(step % StepsPerEpoch);
        var firstBatch = window * GradientAccumulationSteps;
        var lastBatch = Math.Min(firstBatch + GradientAccumulationSteps, BatchesPerEpoch);
        var ranges = new List<(int, int)>(lastBatch - firstBatch);
        for (var batch = firstBatch; batch < lastBatch; batch++)
        {
            ranges.Add((batch * BatchSize, Math.Min((batch + 1) * BatchSize, ExampleCount)));
        }

        return ranges;
    }
}

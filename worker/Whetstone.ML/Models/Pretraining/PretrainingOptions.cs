namespace Whetstone.ML.Models.Pretraining;

/// <summary>Settings of the plain next-token pre-training loop (AdamW, constant learning rate after a short warm-up).</summary>
/// <param name="SequenceLength">Tokens per training sequence.</param>
/// <param name="BatchSize">Sequences per step.</param>
/// <param name="Steps">Optimizer steps.</param>
/// <param name="LearningRate">Learning rate after warm-up.</param>
/// <param name="Seed">Seed for batch sampling.</param>
/// <param name="WarmupSteps">Steps over which the learning rate rises linearly from near zero.</param>
/// <param name="WeightDecay">AdamW weight decay.</param>
/// <param name="MaxGradientNorm">Gradients are clipped to this global norm.</param>
public sealed record PretrainingOptions(
    int SequenceLength,
    int BatchSize,
    int Steps,
    double LearningRate,
    int Seed,
    int WarmupSteps = 20,
    double WeightDecay = 0.01,
    double MaxGradientNorm = 1.0);

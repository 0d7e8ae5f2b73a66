namespace Whetstone.ML.Training;

/// <summary>A <see cref="GradientScaler"/>'s memory, saved in checkpoints so a resumed fp16 run continues exactly.</summary>
/// <param name="Scale">The current loss scale.</param>
/// <param name="GoodSteps">Steps without overflow since the scale last changed.</param>
/// <param name="SkippedSteps">Steps skipped so far because their gradients overflowed.</param>
public sealed record GradientScalerState(double Scale, int GoodSteps, long SkippedSteps);

namespace Whetstone.ML.Training;

/// <summary>
/// Dynamic loss scaling for fp16 mixed precision (PyTorch's GradScaler defaults): the loss is multiplied by the
/// scale before backward so small fp16 gradients do not flush to zero; a step whose gradients overflow (Inf/NaN)
/// is skipped and the scale multiplied by <paramref name="BackoffFactor"/>; after <paramref name="GrowthInterval"/>
/// steps in a row without overflow the scale is multiplied by <paramref name="GrowthFactor"/>.
/// </summary>
/// <param name="InitialScale">The scale of the first step.</param>
/// <param name="GrowthFactor">Factor applied after <paramref name="GrowthInterval"/> good steps (above 1).</param>
/// <param name="BackoffFactor">Factor applied after an overflow (between 0 and 1).</param>
/// <param name="GrowthInterval">Good steps in a row before the scale grows.</param>
public sealed record LossScalingOptions(
    double InitialScale = 65536.0,
    double GrowthFactor = 2.0,
    double BackoffFactor = 0.5,
    int GrowthInterval = 2000)
{
    /// <summary>Throws a clear error naming the field when a value is out of range.</summary>
    public void Validate()
    {
        Require(double.IsFinite(InitialScale) && InitialScale > 0, "lossScaling.initialScale must be a positive finite number.");
        Require(double.IsFinite(GrowthFactor) && GrowthFactor > 1, "lossScaling.growthFactor must be above 1.");
        Require(BackoffFactor > 0 && BackoffFactor < 1, "lossScaling.backoffFactor must be between 0 and 1.");
        Require(GrowthInterval >= 1, "lossScaling.growthInterval must be at least 1.");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}

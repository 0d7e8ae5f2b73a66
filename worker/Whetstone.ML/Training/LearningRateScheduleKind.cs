namespace Whetstone.ML.Training;

/// <summary>How the learning rate moves after warmup (api.md: lrSchedule).</summary>
public enum LearningRateScheduleKind
{
    /// <summary>Stays at the peak learning rate.</summary>
    Constant,

    /// <summary>Falls linearly from the peak to zero at the last step.</summary>
    Linear,

    /// <summary>Follows half a cosine from the peak to zero at the last step.</summary>
    Cosine,
}

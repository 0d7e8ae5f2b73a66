namespace Whetstone.ML.Training;

/// <summary>Why a training run ended.</summary>
public enum TrainingStopReason
{
    /// <summary>All steps ran.</summary>
    Completed,

    /// <summary>The validation loss stopped improving.</summary>
    EarlyStopped,

    /// <summary>A loss became NaN/Inf or rose past the allowed multiple of its best; the job fails.</summary>
    Diverged,

    /// <summary>Stopped on request (for example SIGTERM) after writing a checkpoint; resume continues it.</summary>
    Interrupted,
}

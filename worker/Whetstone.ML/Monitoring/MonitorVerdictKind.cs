namespace Whetstone.ML.Monitoring;

/// <summary>What the loss monitor says about a run after a new loss.</summary>
public enum MonitorVerdictKind
{
    /// <summary>Keep training.</summary>
    Continue,

    /// <summary>The validation loss stopped improving: stop and keep the best result.</summary>
    EarlyStopped,

    /// <summary>A loss became NaN/Inf or rose past the allowed multiple of its best: stop and fail.</summary>
    Diverged,
}

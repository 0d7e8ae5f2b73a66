namespace Whetstone.Worker.FineTuning;

/// <summary>How a run that did not fail ended.</summary>
internal enum FineTuneOutcome
{
    /// <summary>Trained (to the end or an early stop) and every output is stored.</summary>
    Succeeded,

    /// <summary>Stopped by SIGTERM after writing a checkpoint; the next attempt resumes from it.</summary>
    Interrupted,
}

namespace Whetstone.Operator.Preflight;

/// <summary>What the check of a job's inputs and output found.</summary>
public enum PreflightOutcome
{
    /// <summary>Not run for this generation yet: the controller runs it when the planner asks.</summary>
    NotChecked,

    /// <summary>Everything named by URI is there, matches its pin, and the output prefix takes writes.</summary>
    Passed,

    /// <summary>The artifact store could not be asked (down, or not configured): check again later; the job waits.</summary>
    Waiting,

    /// <summary>A problem a retry would only repeat (missing source, digest mismatch, output not writable).</summary>
    Failed,
}

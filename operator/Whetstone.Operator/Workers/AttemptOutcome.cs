namespace Whetstone.Operator.Workers;

/// <summary>Where one worker attempt stands, read from its Pod.</summary>
public enum AttemptOutcome
{
    /// <summary>Created, not yet running (pulling, starting, or waiting for the scheduler).</summary>
    Pending,

    /// <summary>The scheduler found no node with room (for example no free GPU).</summary>
    Unschedulable,

    /// <summary>The worker runs.</summary>
    Running,

    /// <summary>The worker exited 0.</summary>
    Succeeded,

    /// <summary>The worker failed (non-zero exit, killed, deadline).</summary>
    Failed,

    /// <summary>The pod is being deleted.</summary>
    Terminating,
}

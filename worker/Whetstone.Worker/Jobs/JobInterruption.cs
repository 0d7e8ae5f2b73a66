namespace Whetstone.Worker.Jobs;

/// <summary>What a stop request (SIGTERM in a pod, Ctrl+C standalone) means for a kind of worker job.</summary>
internal enum JobInterruption
{
    /// <summary>The worker takes SIGTERM itself: the work checkpoints and the process exits with <see cref="WorkerExitCodes.Interrupted"/>.</summary>
    Checkpoint,

    /// <summary>The attempt fails with <c>WorkerFailed</c> and the kind's interrupted message (termination message written).</summary>
    Fail,

    /// <summary>The cancellation is left to the command line's own handling (no termination message).</summary>
    Propagate,
}

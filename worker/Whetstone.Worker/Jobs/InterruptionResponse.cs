namespace Whetstone.Worker.Jobs;

/// <summary>How the job runner answers a stop request.</summary>
internal enum InterruptionResponse
{
    /// <summary>The worker takes SIGTERM itself: the work checkpoints and the process exits with <see cref="WorkerExitCodes.Interrupted"/>.</summary>
    Checkpoint,

    /// <summary>The attempt fails with <c>WorkerFailed</c> and the interruption's message (termination message written).</summary>
    Fail,

    /// <summary>The cancellation is left to the command line's own handling (no termination message).</summary>
    Propagate,
}

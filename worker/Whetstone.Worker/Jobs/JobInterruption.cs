namespace Whetstone.Worker.Jobs;

/// <summary>What a stop request (SIGTERM in a pod, Ctrl+C standalone) means for a kind of worker job.</summary>
/// <param name="Response">What the runner does.</param>
/// <param name="Message">The line said when a stop arrives before the work finished: on stderr for a checkpoint, the failure message otherwise.</param>
internal sealed record JobInterruption(InterruptionResponse Response, string Message)
{
    /// <summary>Work that can stop at a checkpoint: SIGTERM is taken, the process exits with 143.</summary>
    public static JobInterruption Checkpoint(string message) => new(InterruptionResponse.Checkpoint, message);

    /// <summary>Work that cannot resume: the attempt fails with WorkerFailed and <paramref name="message"/>.</summary>
    public static JobInterruption Fail(string message) => new(InterruptionResponse.Fail, message);

    /// <summary>The cancellation is left to the command line's own handling.</summary>
    public static JobInterruption Propagate { get; } = new(InterruptionResponse.Propagate, "");
}

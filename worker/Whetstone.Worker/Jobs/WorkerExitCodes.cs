namespace Whetstone.Worker.Jobs;

/// <summary>The exit codes of every worker job command.</summary>
internal static class WorkerExitCodes
{
    /// <summary>The attempt did its work.</summary>
    public const int Succeeded = 0;

    /// <summary>The attempt failed; the termination message says why.</summary>
    public const int Failed = 1;

    /// <summary>Stopped by SIGTERM after a checkpoint (128 + 15, as a shell reports it).</summary>
    public const int Interrupted = 143;
}

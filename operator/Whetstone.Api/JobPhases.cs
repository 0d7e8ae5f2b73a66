namespace Whetstone.Api;

/// <summary>The <c>status.phase</c> values of the job kinds (FineTuneJob, CompressionJob, EvaluationRun).</summary>
public static class JobPhases
{
    /// <summary>Accepted, not yet scheduled.</summary>
    public const string Pending = "Pending";

    /// <summary>Waiting for GPU capacity or for a referenced job to succeed.</summary>
    public const string Queued = "Queued";

    /// <summary>A worker pod runs.</summary>
    public const string Running = "Running";

    /// <summary>Finished; artifacts written. Terminal.</summary>
    public const string Succeeded = "Succeeded";

    /// <summary>Finished without a result; the Failed condition says why. Terminal.</summary>
    public const string Failed = "Failed";

    /// <summary>Stopped by <c>runPolicy.suspend</c>; the checkpoint is kept and clearing suspend resumes.</summary>
    public const string Suspended = "Suspended";

    /// <summary>Every job phase, in lifecycle order.</summary>
    public static IReadOnlyList<string> All { get; } = [Pending, Queued, Running, Succeeded, Failed, Suspended];

    /// <summary>True for <see cref="Succeeded"/> and <see cref="Failed"/>: nothing changes afterwards.</summary>
    public static bool IsTerminal(string? phase) => phase is Succeeded or Failed;
}

namespace Whetstone.Operator.Workers;

/// <summary>Whether the objects a job refers to are usable (pure result of the reference check).</summary>
/// <param name="Ready">Everything referenced exists and has finished successfully.</param>
/// <param name="Failed">A referenced job failed: this job cannot run.</param>
/// <param name="Reason">The condition reason when not ready.</param>
/// <param name="Message">What is missing, in words.</param>
public sealed record ReferenceState(bool Ready, bool Failed, string? Reason, string? Message)
{
    /// <summary>Nothing referenced, or all ready.</summary>
    public static ReferenceState Resolved { get; } = new(true, false, null, null);
}

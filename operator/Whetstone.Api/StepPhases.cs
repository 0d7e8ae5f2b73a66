namespace Whetstone.Api;

/// <summary>Values of <c>status.steps[].phase</c> on a CompressionJob.</summary>
public static class StepPhases
{
    /// <summary>Not started.</summary>
    public const string Pending = "Pending";

    /// <summary>Under way.</summary>
    public const string Running = "Running";

    /// <summary>Done.</summary>
    public const string Succeeded = "Succeeded";

    /// <summary>Failed; the job fails with it.</summary>
    public const string Failed = "Failed";

    /// <summary>Every value, in the order the schema lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Pending, Running, Succeeded, Failed];
}

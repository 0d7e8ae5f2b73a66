namespace Whetstone.Api;

/// <summary>Outcome of one rollout analysis measurement.</summary>
public static class AnalysisVerdicts
{
    /// <summary>Within the threshold.</summary>
    public const string Passed = "Passed";

    /// <summary>Beyond the threshold.</summary>
    public const string Failed = "Failed";

    /// <summary>Not enough samples to decide yet.</summary>
    public const string Inconclusive = "Inconclusive";

    /// <summary>The query failed or returned no data.</summary>
    public const string Error = "Error";

    /// <summary>Every value, in the order the schema lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Passed, Failed, Inconclusive, Error];
}

namespace Whetstone.Api;

/// <summary>Values of <c>status.verdict</c> on an EvaluationRun.</summary>
public static class Verdicts
{
    /// <summary>Every gate passed.</summary>
    public const string Passed = "Passed";

    /// <summary>At least one gate failed.</summary>
    public const string Failed = "Failed";

    /// <summary>Every value, in the order the schema lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Passed, Failed];
}

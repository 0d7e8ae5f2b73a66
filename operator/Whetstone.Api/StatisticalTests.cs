namespace Whetstone.Api;

/// <summary>Values of <c>compare.test</c> on a rollout analysis metric.</summary>
public static class StatisticalTests
{
    /// <summary>One-sided two-proportion z-test: is the canary's success rate not worse than the stable's.</summary>
    public const string TwoProportionZ = "twoProportionZ";

    /// <summary>Every value, in the order the schema lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [TwoProportionZ];
}

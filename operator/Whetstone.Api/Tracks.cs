namespace Whetstone.Api;

/// <summary>Rollout tracks (values of the <c>whetstone.dev/track</c> label and the <c>{{track}}</c> query placeholder).</summary>
public static class Tracks
{
    /// <summary>The version serving most traffic.</summary>
    public const string Stable = "stable";

    /// <summary>The version being rolled out.</summary>
    public const string Canary = "canary";

    /// <summary>Every value, in the order the schema lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Stable, Canary];
}

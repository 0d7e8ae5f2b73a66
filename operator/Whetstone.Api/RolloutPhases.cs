namespace Whetstone.Api;

/// <summary>The <c>status.phase</c> values of a ModelRollout.</summary>
public static class RolloutPhases
{
    /// <summary>Accepted; waiting for its models, its EvaluationRun verdict or its serving pods.</summary>
    public const string Pending = "Pending";

    /// <summary>Moving through the strategy's steps.</summary>
    public const string Progressing = "Progressing";

    /// <summary>Waiting at a pause step (timed, or until promoted by hand).</summary>
    public const string Paused = "Paused";

    /// <summary>Every step completed; the canary is now the stable version. Terminal.</summary>
    public const string Promoted = "Promoted";

    /// <summary>The canary's weight went back to 0 and the stable keeps serving; the reason is in status.message.</summary>
    public const string RolledBack = "RolledBack";

    /// <summary>The rollout cannot proceed (bad references, serving never became ready).</summary>
    public const string Failed = "Failed";

    /// <summary>Every rollout phase.</summary>
    public static IReadOnlyList<string> All { get; } = [Pending, Progressing, Paused, Promoted, RolledBack, Failed];
}

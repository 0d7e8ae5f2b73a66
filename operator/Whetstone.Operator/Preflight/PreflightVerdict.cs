namespace Whetstone.Operator.Preflight;

/// <summary>
/// The result of the preflight check, an input of the planner like <see cref="Workers.ReferenceState"/>: the
/// controller gathers it, the planner decides what it means for the job.
/// </summary>
/// <param name="Outcome">Passed, waiting, failed, or not checked yet.</param>
/// <param name="Reason">The condition reason when waiting or failed (<see cref="Api.ConditionReasons"/>).</param>
/// <param name="Message">What was checked, or what is wrong, naming the spec field.</param>
/// <param name="RetryAfter">When waiting: how long until the next check.</param>
public sealed record PreflightVerdict(PreflightOutcome Outcome, string? Reason, string Message, TimeSpan? RetryAfter = null)
{
    /// <summary>Not checked yet.</summary>
    public static PreflightVerdict NotChecked { get; } = new(PreflightOutcome.NotChecked, null, "the inputs have not been checked yet");

    /// <summary>Everything checked is fine.</summary>
    public static PreflightVerdict Pass(string message) => new(PreflightOutcome.Passed, null, message);

    /// <summary>A problem that fails the job.</summary>
    public static PreflightVerdict Fail(string reason, string message) => new(PreflightOutcome.Failed, reason, message);

    /// <summary>The check could not be made yet; the job waits.</summary>
    public static PreflightVerdict Wait(string reason, string message, TimeSpan? retryAfter = null) => new(PreflightOutcome.Waiting, reason, message, retryAfter);
}

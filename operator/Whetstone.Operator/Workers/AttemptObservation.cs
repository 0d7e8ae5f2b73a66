namespace Whetstone.Operator.Workers;

/// <summary>What the operator reads from one worker pod.</summary>
/// <param name="Attempt">The attempt number from the pod's annotation.</param>
/// <param name="PodName">The pod.</param>
/// <param name="Outcome">Where it stands.</param>
/// <param name="Reason">A PascalCase reason (from the worker's termination message, or the pod's state).</param>
/// <param name="Message">A human message.</param>
/// <param name="StartedAt">When the worker started running.</param>
/// <param name="FinishedAt">When it stopped.</param>
/// <param name="Generation">The job generation the attempt was built from.</param>
public sealed record AttemptObservation(
    int Attempt,
    string PodName,
    AttemptOutcome Outcome,
    string? Reason,
    string? Message,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    long Generation);

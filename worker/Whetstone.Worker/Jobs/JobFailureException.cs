namespace Whetstone.Worker.Jobs;

/// <summary>
/// An expected failure of a worker job of any kind: a reason for the operator (one of
/// <see cref="Whetstone.Api.ConditionReasons"/>) and one line for the user, no stack trace.
/// </summary>
internal sealed class JobFailureException(string reason, string message, Exception? innerException = null) : Exception(message, innerException)
{
    /// <summary>One of <see cref="Whetstone.Api.ConditionReasons"/>.</summary>
    public string Reason { get; } = reason;
}

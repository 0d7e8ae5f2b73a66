namespace Whetstone.Worker.Evaluation;

/// <summary>An expected failure of an evaluation: a reason for the operator and one line for the user, no stack trace.</summary>
internal sealed class EvaluationFailureException(string reason, string message, Exception? innerException = null) : Exception(message, innerException)
{
    /// <summary>One of <see cref="Whetstone.Api.ConditionReasons"/>.</summary>
    public string Reason { get; } = reason;
}

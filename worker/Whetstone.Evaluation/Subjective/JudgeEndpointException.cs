namespace Whetstone.Evaluation.Subjective;

/// <summary>The judge endpoint could not be used: unreachable, an HTTP error after retries, or a reply in an unknown shape.</summary>
public sealed class JudgeEndpointException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JudgeEndpointException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public JudgeEndpointException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public JudgeEndpointException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

namespace Whetstone.Serving.Http;

/// <summary>A request the server refuses, with the status code and the field at fault.</summary>
public sealed class RequestException : Exception
{
    public RequestException()
    {
    }

    public RequestException(string message)
        : base(message)
    {
    }

    public RequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RequestException(int statusCode, string message, string? field = null)
        : base(field is null ? message : $"{field}: {message}")
    {
        StatusCode = statusCode;
        Field = field;
    }

    /// <summary>HTTP status to answer with (400, 404, 413).</summary>
    public int StatusCode { get; } = 400;

    /// <summary>The request field at fault, when there is one (OpenAI's <c>param</c>).</summary>
    public string? Field { get; }
}

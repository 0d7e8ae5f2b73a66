using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Whetstone.Serving.Http;

/// <summary>Errors in OpenAI's shape: <c>{"error": {"message", "type", "param", "code"}}</c>.</summary>
internal static class ErrorResponses
{
    public static JsonObject Body(string message, string type, string? field = null, string? code = null) => new()
    {
        ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = field, ["code"] = code },
    };

    public static Task WriteAsync(HttpContext http, int status, string message, string type, string? field = null, string? code = null)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(Body(message, type, field, code));
    }

    public static Task WriteQueueFullAsync(HttpContext http, TimeSpan retryAfter, string message)
    {
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return WriteAsync(http, StatusCodes.Status429TooManyRequests, message, "rate_limit_error", code: "queue_full");
    }
}

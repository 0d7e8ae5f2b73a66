using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Whetstone.Serving.Http;

/// <summary>
/// <c>POST /v1/feedback</c> <c>{"requestId": "…", "outcome": "success" | "failure"}</c>: one north-star attempt, and a
/// success when it converted, counted on the track and version the request id names (the one that served it),
/// whichever replica receives the feedback. Answers 202 with the track credited.
/// </summary>
internal static class FeedbackEndpoint
{
    public static async Task HandleAsync(HttpContext http, ServingContext context)
    {
        try
        {
            var body = await RequestBody.ReadAsync(http.Request, context.Options.MaxRequestBytes, http.RequestAborted).ConfigureAwait(false);
            var parsed = context.RequestIds.Parse(body.RequireString("requestId"));
            if (parsed.ServedBy is not { } servedBy)
            {
                throw new RequestException(400, parsed.Error!);
            }
            var success = body.RequireString("outcome") switch
            {
                "success" => true,
                "failure" => false,
                var other => throw new RequestException(400, $"'{other}' is not success or failure", "outcome"),
            };
            context.Meter.RecordFeedback(servedBy, success);
            http.Response.StatusCode = StatusCodes.Status202Accepted;
            await http.Response.WriteAsJsonAsync(new JsonObject
            {
                ["rollout"] = servedBy.Rollout,
                ["track"] = servedBy.Track,
                ["version"] = servedBy.Version,
                ["outcome"] = success ? "success" : "failure",
            }).ConfigureAwait(false);
        }
        catch (RequestException error)
        {
            await ErrorResponses.WriteAsync(http, error.StatusCode, error.Message, "invalid_request_error", error.Field).ConfigureAwait(false);
        }
    }
}

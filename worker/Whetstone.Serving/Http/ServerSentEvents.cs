using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Whetstone.Serving.Http;

/// <summary>OpenAI-style server-sent events: <c>data: {json}</c> per chunk, <c>data: [DONE]</c> at the end.</summary>
internal static class ServerSentEvents
{
    public static async Task StartAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        await response.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task WriteAsync(HttpResponse response, JsonNode chunk, CancellationToken cancellationToken)
    {
        await response.WriteAsync("data: " + chunk.ToJsonString() + "\n\n", cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task WriteDoneAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        await response.WriteAsync("data: [DONE]\n\n", cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}

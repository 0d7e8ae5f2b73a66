using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Whetstone.Serving.Auditing;
using Whetstone.Serving.Batching;
using Whetstone.Serving.Metrics;

namespace Whetstone.Serving.Http;

/// <summary>
/// Runs one inference request: its deadline (<see cref="ServingOptions.TimeoutMs"/>, then 504), cancellation when the
/// client leaves, the mapping of failures to status codes, and its outcome and duration in the metrics.
/// </summary>
internal sealed class InferenceCall
{
    private readonly long _started = Stopwatch.GetTimestamp();

    private InferenceCall(HttpContext http, ServingContext context)
    {
        Http = http;
        Context = context;
    }

    public HttpContext Http { get; }

    public ServingContext Context { get; }

    public string RequestId => (string)Http.Items[ServingContext.RequestIdItem]!;

    /// <summary>The request's body, for the audit log (set by the endpoint once it has read it).</summary>
    public System.Text.Json.Nodes.JsonNode? Input { get; set; }

    /// <summary>The answer as text, for the audit log.</summary>
    public string? Output { get; set; }

    /// <summary>Seconds since the request arrived.</summary>
    public double Elapsed => Stopwatch.GetElapsedTime(_started).TotalSeconds;

    public static async Task RunAsync(HttpContext http, ServingContext context, Func<InferenceCall, CancellationToken, Task> handle)
    {
        var call = new InferenceCall(http, context);
        var arrived = DateTimeOffset.UtcNow;
        context.Meter.RequestStarted();
        var outcome = RequestOutcomes.Error;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        deadline.CancelAfter(context.Options.TimeoutMs);
        try
        {
            if (context.Host.State != ReadinessState.Ready)
            {
                outcome = RequestOutcomes.Rejected;
                await ErrorResponses.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, $"the model is not ready ({context.Host.State})", "server_error", code: "not_ready").ConfigureAwait(false);
                return;
            }
            await handle(call, deadline.Token).ConfigureAwait(false);
            outcome = RequestOutcomes.Success;
        }
        catch (RequestException error)
        {
            outcome = RequestOutcomes.Invalid;
            await WriteUnlessStartedAsync(http, error.StatusCode, error.Message, "invalid_request_error", error.Field).ConfigureAwait(false);
        }
        catch (QueueFullException error)
        {
            outcome = RequestOutcomes.Rejected;
            if (!http.Response.HasStarted)
            {
                await ErrorResponses.WriteQueueFullAsync(http, error.RetryAfter, error.Message).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            outcome = RequestOutcomes.Cancelled;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            outcome = RequestOutcomes.Error;
            await WriteUnlessStartedAsync(http, StatusCodes.Status504GatewayTimeout,
                $"the request did not finish within {context.Options.TimeoutMs} ms", "timeout_error").ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a failed request is answered 500 and counted, never crashes the server
        catch (Exception error)
#pragma warning restore CA1031
        {
            outcome = RequestOutcomes.Error;
            context.Logger.LogError(error, "request {RequestId} failed: {Message}", call.RequestId, error.Message);
            await WriteUnlessStartedAsync(http, StatusCodes.Status500InternalServerError, error.Message, "server_error").ConfigureAwait(false);
        }
        finally
        {
            context.Meter.RequestEnded(outcome, call.Elapsed);
            context.Audit?.Record(new AuditEntry(arrived, call.RequestId, http.Request.Path.Value ?? "", ClientRateLimit.ClientOf(http),
                http.Response.StatusCode, outcome, call.Elapsed, call.Input, call.Output));
        }
    }

    /// <summary>Records the queue and inference stages of a batched result.</summary>
    public void RecordBatchStages<T>(BatchedResult<T> result)
    {
        Context.Meter.RecordStage(ServingStages.Queue, result.QueueSeconds);
        Context.Meter.RecordStage(ServingStages.Inference, result.InferenceSeconds);
    }

    private static async Task WriteUnlessStartedAsync(HttpContext http, int status, string message, string type, string? field = null)
    {
        if (!http.Response.HasStarted)
        {
            await ErrorResponses.WriteAsync(http, status, message, type, field).ConfigureAwait(false);
        }
        else if (http.Response.ContentType?.StartsWith("text/event-stream", StringComparison.Ordinal) == true && !http.RequestAborted.IsCancellationRequested)
        {
            await ServerSentEvents.WriteAsync(http.Response, ErrorResponses.Body(message, type, field), CancellationToken.None).ConfigureAwait(false);
        }
    }
}

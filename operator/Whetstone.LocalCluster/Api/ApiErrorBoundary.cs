using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Whetstone.LocalCluster.Storage;

namespace Whetstone.LocalCluster.Api;

/// <summary>
/// The first middleware of the API server: every exception that escapes a request (authentication included) becomes
/// a kube-style Status. The client's faults get their 4xx (a body that does not parse 400, a body over the limit 413, a
/// body that arrives too slowly 408); anything else is the server's fault, answered 500 and logged at Error with its
/// exception and the request, so no 500 goes unexplained. A client that went away gets nothing and is logged at Debug.
/// </summary>
internal sealed class ApiErrorBoundary(ILogger logger, long maxRequestBodySize)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (context.RequestAborted.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            logger.LogDebug("{Method} {Path}: the client went away ({Error})", context.Request.Method, context.Request.Path, e.Message);
        }
        catch (Exception e)
        {
            var (status, serverFault) = StatusFor(e);
            var code = status["code"]!.GetValue<int>();
            if (serverFault)
            {
                logger.LogError(e, "{Method} {Path}{Query}: answered {Code}: {Error}", context.Request.Method, context.Request.Path, context.Request.QueryString, code, e.Message);
            }
            else
            {
                logger.LogDebug("{Method} {Path}{Query}: answered {Code}: {Message}", context.Request.Method, context.Request.Path, context.Request.QueryString, code,
                    status["message"]?.GetValue<string>());
            }
            if (context.Response.HasStarted)
            {
                // A stream (a watch, a log) already under way cannot change its status: end it.
                context.Abort();
                return;
            }
            context.Response.Headers.Clear();
            await ApiRequestHandler.WriteJsonAsync(context, code, status);
        }
    }

    private (JsonObject Status, bool ServerFault) StatusFor(Exception e) => e switch
    {
        ApiException api => (api.ToStatus(), api.Code >= 500),
        JsonException json => (StatusObjects.Failure(400, "BadRequest", $"error decoding request body: {json.Message}"), false),
        ResourceVersionTooOldException old => (StatusObjects.Failure(410, "Expired", old.Message), false),
        BadHttpRequestException { StatusCode: 413 } => (StatusObjects.Failure(413, "RequestEntityTooLarge", $"Request entity too large: limit is {maxRequestBodySize}"), false),
        BadHttpRequestException { StatusCode: 408 } bad => (StatusObjects.Failure(408, "Timeout", $"the request body did not arrive in time: {bad.Message}"), false),
        BadHttpRequestException bad => (StatusObjects.Failure(bad.StatusCode, "BadRequest", bad.Message), bad.StatusCode >= 500),
        _ => (StatusObjects.Failure(500, "InternalError", $"an error on the server ({e.GetType().Name}: {e.Message}) has prevented the request from succeeding"), true),
    };
}

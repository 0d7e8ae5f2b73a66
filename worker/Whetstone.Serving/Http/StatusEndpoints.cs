using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Whetstone.Serving.Http;

/// <summary><c>/healthz</c>, <c>/readyz</c> and <c>GET /v1/models</c>.</summary>
internal static class StatusEndpoints
{
    /// <summary>200 while the process can serve or is on its way to; 503 once loading has failed.</summary>
    public static Task HealthAsync(HttpContext http, ServingContext context)
    {
        var failed = context.Host.State == ReadinessState.Failed;
        http.Response.StatusCode = failed ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        return http.Response.WriteAsJsonAsync(new JsonObject { ["status"] = failed ? "failed" : "ok", ["error"] = context.Host.Error });
    }

    /// <summary>200 only once the model is loaded and warmed up.</summary>
    public static Task ReadyAsync(HttpContext http, ServingContext context)
    {
        var state = context.Host.State;
        http.Response.StatusCode = state == ReadinessState.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        return http.Response.WriteAsJsonAsync(new JsonObject { ["status"] = state.ToString(), ["error"] = context.Host.Error });
    }

    public static Task ModelsAsync(HttpContext http, ServingContext context)
    {
        var description = context.Host.Model?.Description;
        var entry = new JsonObject
        {
            ["id"] = context.Options.ModelName,
            ["object"] = "model",
            ["created"] = 0,
            ["owned_by"] = "whetstone",
            ["ready"] = context.Host.State == ReadinessState.Ready,
            ["kind"] = description?.Kind.ToString(),
            ["backend"] = description?.Backend.ToString(),
            ["device"] = description?.Device,
            ["rollout"] = context.Identity.Rollout,
            ["track"] = context.Identity.Track,
            ["version"] = context.Identity.Version,
        };
        return http.Response.WriteAsJsonAsync(new JsonObject { ["object"] = "list", ["data"] = new JsonArray(entry) });
    }
}

using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Whetstone.Serving.Metrics;

namespace Whetstone.Serving.Http;

/// <summary>
/// The per-client rate limit on the inference endpoints (ASP.NET Core's rate limiter, one token bucket per client):
/// a refused request answers 429 with <c>Retry-After</c> and counts in
/// <c>whetstone_inference_rate_limited_requests_total</c>.
/// </summary>
internal static class ClientRateLimit
{
    public const string ClientHeader = "x-client-id";

    public static void Add(IServiceCollection services, ServingOptions options, ServingMeter meter)
    {
        var period = TimeSpan.FromSeconds(1 / options.RateLimitPerSecond);
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => IsInference(http.Request.Path)
                ? RateLimitPartition.GetTokenBucketLimiter(ClientOf(http), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.RateLimitBurst,
                    TokensPerPeriod = 1,
                    ReplenishmentPeriod = period,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                })
                : RateLimitPartition.GetNoLimiter(string.Empty));
            limiter.OnRejected = (rejected, cancellationToken) =>
            {
                meter.RecordRateLimited();
                var http = rejected.HttpContext;
                var retry = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : period;
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                return new ValueTask(http.Response.WriteAsJsonAsync(
                    ErrorResponses.Body($"client '{ClientOf(http)}' is over its limit of {options.RateLimitPerSecond} requests per second", "rate_limit_error", code: "rate_limited"), cancellationToken));
            };
        });
    }

    public static void Use(WebApplication app) => app.UseRateLimiter();

    private static bool IsInference(PathString path) =>
        path.StartsWithSegments("/v1/predict", StringComparison.Ordinal) || path.StartsWithSegments("/v1/completions", StringComparison.Ordinal)
        || path.StartsWithSegments("/v1/chat/completions", StringComparison.Ordinal);

    /// <summary>The client a request counts against: its id header, else the first forwarded address, else its address.</summary>
    public static string ClientOf(HttpContext http)
    {
        if (http.Request.Headers[ClientHeader].ToString() is { Length: > 0 } client)
        {
            return client;
        }
        if (http.Request.Headers["X-Forwarded-For"].ToString() is { Length: > 0 } forwarded)
        {
            return forwarded.Split(',')[0].Trim();
        }
        return http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }
}

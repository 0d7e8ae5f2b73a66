using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Whetstone.ModelRuntime;
using Whetstone.Serving.Auditing;
using Whetstone.Serving.Batching;
using Whetstone.Serving.Caching;
using Whetstone.Serving.Feedback;
using Whetstone.Serving.Http;
using Whetstone.Serving.Inference;
using Whetstone.Serving.Metrics;

namespace Whetstone.Serving;

/// <summary>
/// The inference server: Kestrel with the OpenAI-compatible and predict endpoints, health and readiness, and
/// Prometheus metrics through OpenTelemetry. It listens at once and loads the model in the background;
/// <c>/readyz</c> turns 200 only after the model is loaded and one warm-up batch has run.
/// </summary>
public sealed class ServingServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ModelHost _host;
    private readonly ServingMeter _meter;
    private readonly ResponseCache? _cache;
    private readonly AuditLog? _audit;
    private readonly CancellationTokenSource _stopping = new();

    private ServingServer(WebApplication app, ModelHost host, ServingMeter meter, ResponseCache? cache, AuditLog? audit, Uri address)
    {
        this._cache = cache;
        this._audit = audit;
        this._app = app;
        this._host = host;
        this._meter = meter;
        Address = address;
    }

    /// <summary>Where the server listens (with the real port when 0 was asked for).</summary>
    public Uri Address { get; }

    /// <summary>Loading, warming up, ready or failed.</summary>
    public ReadinessState State => _host.State;

    /// <summary>Why loading failed, when it did.</summary>
    public string? Error => _host.Error;

    /// <summary>Completes when the model is ready or loading has failed.</summary>
    public Task Loading { get; private set; } = Task.CompletedTask;

    /// <summary>
    /// Starts listening and begins loading the model with <paramref name="loadModel"/> (which may fetch it first).
    /// </summary>
    public static async Task<ServingServer> StartAsync(ServingOptions options, ServingIdentity identity,
        Func<CancellationToken, Task<IModelRunner>> loadModel, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loadModel);
        options.Validate();
        var logger = loggerFactory.CreateLogger<ServingServer>();
        ModelHost? modelHost = null;
        var servingMeter = new ServingMeter(options.MeterName, identity, () => modelHost?.QueueDepth ?? 0);
        var batching = new BatchingOptions(options.MaxBatchSize, TimeSpan.FromMilliseconds(options.MaxDelayMs), options.QueueCapacity);
        modelHost = new ModelHost(batching, options.ContinuousBatching, options.OnnxContinuousBatching, servingMeter, logger);
        var cache = options.ResponseCacheEntries > 0 ? new ResponseCache(options.ModelDigest!, options.ResponseCacheEntries, servingMeter) : null;
        var audit = options.AuditLogPath is { } auditPath ? new AuditLog(auditPath, options.AuditSampleRate, options.AuditMaxBytes, servingMeter, logger) : null;
        var context = new ServingContext(options, identity, servingMeter, new RequestIdCodec(options.FeedbackKey), modelHost, cache, audit, logger);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Parse(options.Host), options.Port);
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBytes;
            kestrel.AddServerHeader = false;
        });
        builder.Services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("whetstone-serving")).WithMetrics(metrics => metrics
            .AddMeter(options.MeterName)
            .AddPrometheusExporter(exporter => exporter.ScrapeResponseCacheDurationMilliseconds = 0));
        if (options.RateLimitPerSecond > 0)
        {
            ClientRateLimit.Add(builder.Services, options, servingMeter);
        }
        var app = builder.Build();
        app.Use((http, next) => StampAsync(http, next, context));
        if (options.RateLimitPerSecond > 0)
        {
            ClientRateLimit.Use(app);
        }
        MapEndpoints(app, context);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        servingMeter.StartAtZero();
        if (cache is not null)
        {
            servingMeter.StartCacheAtZero();
        }
        if (options.RateLimitPerSecond > 0)
        {
            servingMeter.StartRateLimitAtZero();
        }
        if (audit is not null)
        {
            servingMeter.StartAuditAtZero();
        }

        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        logger.LogInformation("serving {Model} as {Rollout}/{Track} {Version} on {Address}", options.ModelName, identity.Rollout, identity.Track, identity.Version, address);
        var server = new ServingServer(app, modelHost, servingMeter, cache, audit, address);
        server.Loading = Task.Run(() => modelHost.LoadAsync(loadModel, server._stopping.Token), CancellationToken.None);
        return server;
    }

    /// <summary>Waits until the host is told to stop (Ctrl+C, SIGTERM) or <paramref name="cancellationToken"/> fires.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            await Loading.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopped while loading
        }
        await _app.DisposeAsync().ConfigureAwait(false);
        _host.Dispose();
        _cache?.Dispose();
        if (_audit is not null)
        {
            await _audit.DisposeAsync().ConfigureAwait(false);
        }

        _meter.Dispose();
        _stopping.Dispose();
    }

    private static void MapEndpoints(WebApplication app, ServingContext context)
    {
        app.MapPost("/v1/predict", http => PredictEndpoint.HandleAsync(http, context));
        app.MapPost("/v1/completions", http => CompletionEndpoint.HandleTextAsync(http, context));
        app.MapPost("/v1/chat/completions", http => CompletionEndpoint.HandleChatAsync(http, context));
        app.MapPost("/v1/feedback", http => FeedbackEndpoint.HandleAsync(http, context));
        app.MapGet("/v1/models", http => StatusEndpoints.ModelsAsync(http, context));
        app.MapGet("/healthz", http => StatusEndpoints.HealthAsync(http, context));
        app.MapGet("/readyz", http => StatusEndpoints.ReadyAsync(http, context));
        app.MapPrometheusScrapingEndpoint("/metrics");
    }

    /// <summary>Every answer names the request, the version and the track that served it.</summary>
    private static Task StampAsync(HttpContext http, Func<Task> next, ServingContext context)
    {
        var id = context.RequestIds.Create(context.Identity);
        http.Items[ServingContext.RequestIdItem] = id;
        http.Response.Headers[ServingHeaders.RequestId] = id;
        http.Response.Headers[ServingHeaders.Version] = context.Identity.Version;
        http.Response.Headers[ServingHeaders.Track] = context.Identity.Track;
        return next();
    }
}

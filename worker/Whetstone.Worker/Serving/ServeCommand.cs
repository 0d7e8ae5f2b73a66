using System.CommandLine;
using Microsoft.Extensions.Logging;
using Whetstone.Api.Workers;
using Whetstone.ModelRuntime;
using Whetstone.Serving;

namespace Whetstone.Worker.Serving;

/// <summary>
/// <c>whetstone-worker serve</c>: the inference server (see worker/Whetstone.Serving/README.md). Runs until Ctrl+C or
/// SIGTERM; exits 1 when the model cannot be loaded.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var defaults = new ServingOptions();
        var model = new Option<string?>("--model") { Description = $"Model directory, file:// or s3:// URI (default: ${ServingEnvironmentVariables.Model})" };
        var digest = new Option<string?>("--digest") { Description = "Expected model digest (sha256:…) for a store URI" };
        var host = new Option<string?>("--host") { Description = $"Address to listen on (default: ${ServingEnvironmentVariables.Host}, else the embedded cluster's ${ServingEnvironmentVariables.EmbeddedPodIp}, else 0.0.0.0)" };
        var port = new Option<int>("--port") { Description = "Port to listen on (0: any free one)", DefaultValueFactory = _ => defaults.Port };
        var maxBatch = new Option<int>("--max-batch-size") { Description = "Largest batch one forward pass takes", DefaultValueFactory = _ => defaults.MaxBatchSize };
        var maxDelay = new Option<int>("--max-delay-ms") { Description = "Longest a request waits for companions while the server is busy", DefaultValueFactory = _ => defaults.MaxDelayMs };
        var requestLevel = new Option<bool>("--request-level-batching") { Description = "Batch whole completions instead of admitting them into the running batch between decoding steps (ONNX Runtime models do unless --onnx-continuous-batching)" };
        var onnxContinuous = new Option<bool>("--onnx-continuous-batching") { Description = "Admit completions into the running batch on ONNX Runtime models too (off by default: slower under overload, see the Serving README)" };
        var queue = new Option<int>("--queue-capacity") { Description = "Requests that may wait; more are refused with 429", DefaultValueFactory = _ => defaults.QueueCapacity };
        var timeout = new Option<int>("--timeout-ms") { Description = "Per-request deadline; past it the answer is 504", DefaultValueFactory = _ => defaults.TimeoutMs };
        var maxBytes = new Option<long>("--max-request-bytes") { Description = "Largest request body; larger ones get 413", DefaultValueFactory = _ => defaults.MaxRequestBytes };
        var track = new Option<string?>("--track") { Description = $"Rollout track served (default: ${ServingEnvironmentVariables.Track}, else stable)" };
        var version = new Option<string?>("--version") { Description = $"Model version served (default: ${ServingEnvironmentVariables.Version}, else the model folder's name)" };
        var rollout = new Option<string?>("--rollout") { Description = $"ModelRollout name (default: ${ServingEnvironmentVariables.Rollout}, else empty)" };
        var name = new Option<string?>("--model-name") { Description = "Model id in /v1/models and the OpenAI model field (default: the rollout name, else the model folder's name)" };
        var threads = new Option<int?>("--threads") { Description = "Intra-op threads (default: the container's CPU limit)" };
        var responseCache = new Option<int>("--response-cache-entries") { Description = "Cache answers to deterministic requests (classifier rows, greedy non-streamed completions), keyed by the model digest; 0 turns it off", DefaultValueFactory = _ => 0 };
        var rateLimit = new Option<double>("--rate-limit-per-second") { Description = "Inference requests per second per client (x-client-id, else X-Forwarded-For, else address); 0 turns the limit off", DefaultValueFactory = _ => 0 };
        var rateBurst = new Option<int>("--rate-limit-burst") { Description = "Requests a client may send at once before the rate applies", DefaultValueFactory = _ => defaults.RateLimitBurst };
        var auditLog = new Option<string?>("--audit-log") { Description = "Write a sampled, PII-redacted log of requests (JSON lines) to this file; off by default" };
        var auditRate = new Option<double>("--audit-sample-rate") { Description = "Share of requests the audit log records, 0 to 1 (chosen by the request id's hash)", DefaultValueFactory = _ => defaults.AuditSampleRate };
        var auditMax = new Option<long>("--audit-max-bytes") { Description = "Size at which the audit log rotates to <file>.1 (at most twice this on disk)", DefaultValueFactory = _ => defaults.AuditMaxBytes };
        var cacheDir = new Option<string?>("--cache-dir") { Description = "Where store models are downloaded (default: a folder under the temp directory)" };
        var command = new Command("serve", "Serve a model over HTTP: OpenAI-compatible completions, classifier predictions, dynamic batching, Prometheus metrics")
        {
            model, digest, host, port, maxBatch, maxDelay, requestLevel, onnxContinuous, queue, timeout, maxBytes, track, version, rollout, name, threads, responseCache, rateLimit, rateBurst, auditLog, auditRate, auditMax, cacheDir,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var source = parse.GetValue(model) ?? Environment.GetEnvironmentVariable(ServingEnvironmentVariables.Model);
            if (string.IsNullOrWhiteSpace(source))
            {
                await Console.Error.WriteLineAsync($"--model: required (or set {ServingEnvironmentVariables.Model})").ConfigureAwait(false);
                return 2;
            }
            var rolloutName = parse.GetValue(rollout) ?? Environment.GetEnvironmentVariable(ServingEnvironmentVariables.Rollout) ?? "";
            var identity = new ServingIdentity(
                rolloutName,
                parse.GetValue(track) ?? Environment.GetEnvironmentVariable(ServingEnvironmentVariables.Track) ?? "stable",
                parse.GetValue(version) ?? Environment.GetEnvironmentVariable(ServingEnvironmentVariables.Version) ?? ServedModelSource.DefaultName(source));
            var options = new ServingOptions
            {
                Host = parse.GetValue(host)
                    ?? Environment.GetEnvironmentVariable(ServingEnvironmentVariables.Host)
                    ?? Environment.GetEnvironmentVariable(ServingEnvironmentVariables.EmbeddedPodIp)
                    ?? defaults.Host,
                Port = parse.GetValue(port),
                ModelName = parse.GetValue(name) ?? (rolloutName.Length > 0 ? rolloutName : ServedModelSource.DefaultName(source)),
                MaxBatchSize = parse.GetValue(maxBatch),
                MaxDelayMs = parse.GetValue(maxDelay),
                ContinuousBatching = !parse.GetValue(requestLevel),
                OnnxContinuousBatching = parse.GetValue(onnxContinuous),
                QueueCapacity = parse.GetValue(queue),
                TimeoutMs = parse.GetValue(timeout),
                MaxRequestBytes = parse.GetValue(maxBytes),
                FeedbackKey = Environment.GetEnvironmentVariable(ServingEnvironmentVariables.FeedbackKey),
                ResponseCacheEntries = parse.GetValue(responseCache),
                RateLimitPerSecond = parse.GetValue(rateLimit),
                RateLimitBurst = parse.GetValue(rateBurst),
                AuditLogPath = parse.GetValue(auditLog),
                AuditSampleRate = parse.GetValue(auditRate),
                AuditMaxBytes = parse.GetValue(auditMax),
            };
            if (options.ResponseCacheEntries > 0)
            {
                try
                {
                    options = options with { ModelDigest = await ServedModelSource.CacheDigestAsync(source, parse.GetValue(digest), cancellationToken).ConfigureAwait(false) };
                }
                catch (Exception error) when (error is ArgumentException or IOException or UnauthorizedAccessException)
                {
                    await Console.Error.WriteLineAsync($"serve: {error.Message}").ConfigureAwait(false);
                    return 2;
                }
            }
            var cache = parse.GetValue(cacheDir) ?? Path.Combine(Path.GetTempPath(), "whetstone-serve-models");
            var runtime = new RuntimeOptions(Threads: parse.GetValue(threads));
            return await RunAsync(options, identity, ct => LoadAsync(source, parse.GetValue(digest), cache, runtime, ct), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<IModelRunner> LoadAsync(string source, string? digest, string cache, RuntimeOptions runtime, CancellationToken cancellationToken)
    {
        var directory = await ServedModelSource.ResolveAsync(source, digest, cache, cancellationToken).ConfigureAwait(false);
        return ModelLoader.Load(directory, runtime);
    }

    private static async Task<int> RunAsync(ServingOptions options, ServingIdentity identity, Func<CancellationToken, Task<IModelRunner>> load, CancellationToken cancellationToken)
    {
        using var loggers = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Information).AddFilter("Microsoft.AspNetCore", LogLevel.Warning));
        try
        {
            await using var server = await ServingServer.StartAsync(options, identity, load, loggers, cancellationToken).ConfigureAwait(false);
            var shutdown = server.WaitForShutdownAsync(cancellationToken);
            await Task.WhenAny(server.Loading, shutdown).ConfigureAwait(false);
            if (server.State == ReadinessState.Failed)
            {
                await Console.Error.WriteLineAsync($"serve: the model could not be loaded: {server.Error}").ConfigureAwait(false);
                return 1;
            }
            await shutdown.ConfigureAwait(false);
            return 0;
        }
        catch (ArgumentException error)
        {
            await Console.Error.WriteLineAsync($"serve: {error.Message}").ConfigureAwait(false);
            return 2;
        }
    }
}

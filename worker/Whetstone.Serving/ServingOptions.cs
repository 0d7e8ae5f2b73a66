using Whetstone.Serving.Metrics;

namespace Whetstone.Serving;

/// <summary>How a server listens, batches and bounds its work.</summary>
public sealed record ServingOptions
{
    /// <summary>Address to listen on (a Pod's own address in the embedded cluster; 0.0.0.0 for all).</summary>
    public string Host { get; init; } = "0.0.0.0";

    /// <summary>Port to listen on; 0 picks a free one (see <see cref="ServingServer.Address"/>).</summary>
    public int Port { get; init; } = 8080;

    /// <summary>Name of the model in <c>/v1/models</c> and the OpenAI <c>model</c> field.</summary>
    public string ModelName { get; init; } = "model";

    /// <summary>Largest batch one forward pass takes.</summary>
    public int MaxBatchSize { get; init; } = 32;

    /// <summary>Longest a request waits for others to join its batch while the server is busy.</summary>
    public int MaxDelayMs { get; init; } = 5;

    /// <summary>
    /// Completions join and leave the running batch between decoding steps (continuous batching; TorchSharp models, and
    /// ONNX Runtime models with <see cref="OnnxContinuousBatching"/>). False batches whole requests.
    /// </summary>
    public bool ContinuousBatching { get; init; } = true;

    /// <summary>
    /// Continuous batching on ONNX Runtime models too (a graph exported with past key/value inputs). Off by default:
    /// every admission and departure copies the running keys and values through managed memory, which measured
    /// 0.68× the tokens/s of request-level batching under overload (bench/serving/README.md).
    /// </summary>
    public bool OnnxContinuousBatching { get; init; }

    /// <summary>Requests that may wait in the queue; beyond it requests are refused with 429.</summary>
    public int QueueCapacity { get; init; } = 256;

    /// <summary>Time a request may take from arrival to answer; beyond it the answer is 504.</summary>
    public int TimeoutMs { get; init; } = 30_000;

    /// <summary>Largest request body in bytes; beyond it the answer is 413.</summary>
    public long MaxRequestBytes { get; init; } = 1 << 20;

    /// <summary>Most new tokens a completion may ask for.</summary>
    public int MaxNewTokensLimit { get; init; } = 512;

    /// <summary>
    /// Shared secret that signs request ids (HMAC-SHA256), so feedback cannot be credited to a track by forging an
    /// id; every replica of a rollout must hold the same one. Null: ids are only prefixed, not signed.
    /// </summary>
    public string? FeedbackKey { get; init; }

    /// <summary>Entries of the response cache for deterministic requests; 0 turns it off.</summary>
    public int ResponseCacheEntries { get; init; }

    /// <summary>The served model's digest, which keys the response cache (required when the cache is on).</summary>
    public string? ModelDigest { get; init; }

    /// <summary>
    /// Inference requests per second one client may send (token bucket; 0 turns the limit off). A client is its
    /// <c>x-client-id</c> header, else the first <c>X-Forwarded-For</c> address (set by the gateway), else its address.
    /// </summary>
    public double RateLimitPerSecond { get; init; }

    /// <summary>Requests a client may send at once before the rate applies (the bucket's size).</summary>
    public int RateLimitBurst { get; init; } = 10;

    /// <summary>File of the sampled, PII-redacted audit log of requests (JSON lines); null turns it off.</summary>
    public string? AuditLogPath { get; init; }

    /// <summary>Share of requests the audit log records, 0 to 1 (decided by the request id's hash).</summary>
    public double AuditSampleRate { get; init; } = 0.1;

    /// <summary>Largest size of the audit log file; beyond it the file rotates to <c>.1</c> (so at most twice this is on disk).</summary>
    public long AuditMaxBytes { get; init; } = 10 << 20;

    /// <summary>Name of the meter the metrics come from; one server per process keeps the default.</summary>
    public string MeterName { get; init; } = ServingMeter.DefaultName;

    /// <summary>Checks the numbers, naming the field that is wrong.</summary>
    public void Validate()
    {
        Require(Port is >= 0 and <= 65535, "port", Port);
        Require(MaxBatchSize >= 1, "maxBatchSize", MaxBatchSize);
        Require(MaxDelayMs >= 0, "maxDelayMs", MaxDelayMs);
        Require(QueueCapacity >= 1, "queueCapacity", QueueCapacity);
        Require(TimeoutMs >= 1, "timeoutMs", TimeoutMs);
        Require(MaxRequestBytes >= 1, "maxRequestBytes", MaxRequestBytes);
        Require(MaxNewTokensLimit >= 1, "maxNewTokensLimit", MaxNewTokensLimit);
        Require(ResponseCacheEntries >= 0, "responseCacheEntries", ResponseCacheEntries);
        Require(RateLimitPerSecond >= 0 && double.IsFinite(RateLimitPerSecond), "rateLimitPerSecond", RateLimitPerSecond);
        Require(RateLimitBurst >= 1, "rateLimitBurst", RateLimitBurst);
        Require(AuditSampleRate is >= 0 and <= 1, "auditSampleRate", AuditSampleRate);
        Require(AuditMaxBytes >= 64 << 10, "auditMaxBytes (at least 65536)", AuditMaxBytes);
        if (ResponseCacheEntries > 0 && string.IsNullOrWhiteSpace(ModelDigest))
        {
            throw new ArgumentException("modelDigest: required when the response cache is on (it keys the entries)");
        }
    }

    private static void Require(bool valid, string field, object value)
    {
        if (!valid)
        {
            throw new ArgumentException($"{field}: {value} is out of range");
        }
    }
}

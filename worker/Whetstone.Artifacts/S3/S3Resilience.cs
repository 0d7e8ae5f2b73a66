using Polly;
using Polly.Retry;

namespace Whetstone.Artifacts.S3;

/// <summary>The retry policy for S3 requests: exponential backoff with jitter, bounded, transient errors only.</summary>
internal static class S3Resilience
{
    /// <summary>Builds the pipeline from the store's options.</summary>
    public static ResiliencePipeline Create(ArtifactStoreOptions options) =>
        new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(S3Errors.IsTransient),
                MaxRetryAttempts = Math.Max(1, options.MaxRetryAttempts),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
            })
            .Build();
}

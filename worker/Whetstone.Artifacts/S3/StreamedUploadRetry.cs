using Polly;
using Polly.Retry;
using Whetstone.Artifacts.Integrity;

namespace Whetstone.Artifacts.S3;

/// <summary>
/// Retries a streamed (multipart) upload within the store's bound. The source is read once, so the upload reads it
/// through a <see cref="ReplayableReadStream"/> and, after a transient failure (a refused or reset connection, a 5xx),
/// is sent again from its first byte out of the spool: a new multipart upload each time (the abandoned one is left to
/// the store's cleanup). The SDK's own per-request retry hook cannot do this: Minio 7.0.0 appends the query string
/// to the request once more at every retry (<c>?partNumber=1&amp;uploadId=…?partNumber=1&amp;uploadId=…</c>), which
/// the server refuses.
/// </summary>
internal sealed class StreamedUploadRetry(ArtifactStoreOptions options)
{
    private long _retries;

    /// <summary>Whole uploads sent again so far.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Runs <paramref name="upload"/> on <paramref name="content"/>, rewinding and running it again after each transient failure.</summary>
    public async Task RunAsync(ReplayableReadStream content, Func<Stream, CancellationToken, Task> upload, CancellationToken cancellationToken)
    {
        var pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => !content.SourceFailed && S3Errors.IsTransient(e)),
                MaxRetryAttempts = Math.Max(1, options.MaxRetryAttempts),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                OnRetry = _ =>
                {
                    Interlocked.Increment(ref _retries);
                    content.Rewind();
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
        await pipeline.ExecuteAsync(async token => await upload(content, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }
}

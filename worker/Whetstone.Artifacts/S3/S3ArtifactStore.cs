using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Minio;
using Minio.DataModel.Args;
using Minio.Exceptions;
using Polly;
using Whetstone.Artifacts.Integrity;

namespace Whetstone.Artifacts.S3;

/// <summary>
/// The artifact store on S3 (MinIO or any S3-compatible server) through the Minio SDK. Large content streams to a
/// temporary key (the SDK uploads it in parts) and becomes visible by a server-side copy to the final key, made only
/// after the digest is known and the sidecar written. Reads go through a presigned GET with an optional Range header:
/// the SDK's own GET is callback-shaped and throws PartialContentException on ranged responses from some servers.
/// </summary>
public sealed class S3ArtifactStore : ArtifactStore
{
    private static readonly HttpClient ReadClient = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private const int ReadAheadChunkBytes = 1024 * 1024;

    // S3's largest single CopyObject; the SDK copies anything larger in parts.
    private const long MaxSingleCopyBytes = 5L * 1024 * 1024 * 1024;

    private static readonly Dictionary<string, string> IfNoneMatchAny = new(StringComparer.Ordinal) { ["If-None-Match"] = "*" };

    // A little more than one part of the SDK's smallest (5 MiB), so a whole next part is ready when it asks.
    private const int ReadAheadBytes = 8 * ReadAheadChunkBytes;

    private readonly IMinioClient _client;
    private readonly string _bucket;
    private readonly string _rootPrefix;
    private readonly ResiliencePipeline _pipeline;
    private readonly StreamedUploadRetry _streamedRetry;
    private readonly Lock _bucketGate = new();
    private Task? _bucketCheck;

    /// <summary>Creates a store for <c>s3://<paramref name="bucket"/>/<paramref name="rootPrefix"/></c>.</summary>
    public S3ArtifactStore(IMinioClient client, string bucket, string rootPrefix, ArtifactStoreOptions options)
        : base(new Uri($"s3://{bucket}/{rootPrefix}"), options)
    {
        this._client = client;
        this._bucket = bucket;
        this._rootPrefix = rootPrefix;
        _pipeline = S3Resilience.Create(options);
        _streamedRetry = new StreamedUploadRetry(options);
    }

    /// <summary>Streamed (multipart) uploads sent again after a transient failure, since this store was created.</summary>
    public long StreamedUploadRetries => _streamedRetry.Retries;

    private string ObjectName(string key) => _rootPrefix + key;

    private async Task<T> RunAsync<T>(string key, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken, bool retry = true)
    {
        try
        {
            await WaitForBucketAsync(cancellationToken).ConfigureAwait(false);
            return retry
                ? await _pipeline.ExecuteAsync(async token => await operation(token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false)
                : await operation(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (S3Errors.Translate(e, GetUri(key)) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>Checks the bucket once per store (a clear error for a missing bucket or bad credentials); a failed check is redone.</summary>
    private Task WaitForBucketAsync(CancellationToken cancellationToken)
    {
        Task check;
        lock (_bucketGate)
        {
            if (_bucketCheck is null || _bucketCheck.IsFaulted || _bucketCheck.IsCanceled)
            {
                _bucketCheck = EnsureBucketAsync(CancellationToken.None);
            }

            check = _bucketCheck;
        }

        return check.WaitAsync(cancellationToken);
    }

    private async Task EnsureBucketAsync(CancellationToken cancellationToken)
    {
        try
        {
            var exists = await _pipeline.ExecuteAsync(async token =>
                    await _client.BucketExistsAsync(new BucketExistsArgs().WithBucket(_bucket), token).ConfigureAwait(false), cancellationToken)
                .ConfigureAwait(false);
            if (exists)
            {
                return;
            }

            if (!Options.CreateBucketIfMissing)
            {
                throw new ArtifactNotFoundException(Root, $"NoSuchBucket: bucket '{_bucket}' does not exist");
            }

            try
            {
                await _pipeline.ExecuteAsync(async token =>
                        await _client.MakeBucketAsync(new MakeBucketArgs().WithBucket(_bucket), token).ConfigureAwait(false), cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (Exception e) when (IsBucketAlreadyThere(e))
            {
                // Another store (another worker, or a second store in this process) created it between our check and
                // our create. Fine if we can see it now; a bucket of that name owned by someone else stays an error.
                if (!await _client.BucketExistsAsync(new BucketExistsArgs().WithBucket(_bucket), cancellationToken).ConfigureAwait(false))
                {
                    throw;
                }
            }
        }
        catch (Exception e) when (S3Errors.Translate(e, Root) is { } translated)
        {
            throw translated;
        }
    }

    // S3 answers BucketAlreadyOwnedByYou (the SDK raises it as an ArgumentException) or BucketAlreadyExists.
    private static bool IsBucketAlreadyThere(Exception e) =>
        (e is MinioException { Response.Code: "BucketAlreadyExists" or "BucketAlreadyOwnedByYou" })
        || (e is ArgumentException && e.Message.StartsWith("Bucket already owned by you", StringComparison.Ordinal));

    /// <inheritdoc />
    public override async Task<Uri> GetReadUrlAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default)
    {
        ArtifactKeys.Validate(key);
        if (await StatObjectAsync(key, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new ArtifactNotFoundException(GetUri(key));
        }

        return new Uri(await PresignAsync(key, expiry).ConfigureAwait(false));
    }

    private Task<string> PresignAsync(string key, TimeSpan expiry) =>
        _client.PresignedGetObjectAsync(new PresignedGetObjectArgs()
            .WithBucket(_bucket)
            .WithObject(ObjectName(key))
            .WithExpiry((int)Math.Clamp(expiry.TotalSeconds, 1, 7 * 24 * 3600)));

    /// <inheritdoc />
    /// <remarks>
    /// One PUT with <c>If-None-Match: *</c> (S3's conditional write): the key appears with all of the body or not at all,
    /// and only if no writer created it first; 412 means one did. Sent through a presigned URL because the SDK turns
    /// every header it does not know into user metadata.
    /// </remarks>
    protected override Task<bool> PutSmallObjectAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken) =>
        RunAsync(key, async token =>
        {
            var url = await _client.PresignedPutObjectAsync(new PresignedPutObjectArgs()
                .WithBucket(_bucket)
                .WithObject(ObjectName(key))
                .WithExpiry(3600)).ConfigureAwait(false);
            using var request = new HttpRequestMessage(HttpMethod.Put, url);
            request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any);
            request.Content = new ReadOnlyMemoryContent(content);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
            timeout.CancelAfter(Options.RequestTimeout);
            using var response = await ReadClient.SendAsync(request, timeout.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return true;
            }

            var body = await response.Content.ReadAsStringAsync(token).ConfigureAwait(false);
            return response.StatusCode switch
            {
                HttpStatusCode.PreconditionFailed => false,
                // S3: another conditional write to the key was in flight; the retry policy sends it again.
                HttpStatusCode.Conflict when ServerCodeOf(body) is "ConditionalRequestConflict" =>
                    throw new ArtifactStoreUnavailableException(GetUri(key), "ConditionalRequestConflict: another conditional write to the key was in flight"),
                _ => throw FailureOf("PUT", key, response.StatusCode, body),
            };
        }, cancellationToken);

    private async Task PutBytesAsync(string objectName, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        var array = MemoryMarshal.TryGetArray(content, out var segment) ? segment : new ArraySegment<byte>(content.ToArray());
        using var stream = new MemoryStream(array.Array!, array.Offset, array.Count, writable: false);
        await _client.PutObjectAsync(new PutObjectArgs()
            .WithBucket(_bucket)
            .WithObject(objectName)
            .WithStreamData(stream)
            .WithObjectSize(array.Count)
            .WithContentType(contentType), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The SDK reads a part, sends it, then reads the next. A <see cref="ReadAheadStream"/> between it and the
    /// (hashing) content reads and hashes up to <see cref="ReadAheadBytes"/> ahead on another task, so the next part is
    /// hashed while the previous one uploads, with memory bounded by that read-ahead.
    /// </remarks>
    protected override async Task WriteTemporaryAsync(string temporaryKey, Stream content, long? length, string contentType, CancellationToken cancellationToken)
    {
        var ahead = new ReadAheadStream(content, ReadAheadChunkBytes, ReadAheadBytes / ReadAheadChunkBytes);
        await using (ahead.ConfigureAwait(false))
        {
            // The source is read once; a spool copy lets the whole upload be sent again after a transient failure,
            // within the retry bound (StreamedUploadRetry). Past that bound the error names the key, and the caller
            // may retry the whole put (idempotent).
            var replayable = new ReplayableReadStream(ahead, Options.SpoolDirectory ?? Path.GetTempPath());
            await using (replayable.ConfigureAwait(false))
            {
                await RunAsync(temporaryKey, async token =>
                {
                    await _streamedRetry.RunAsync(replayable, async (body, attemptToken) =>
                        await _client.PutObjectAsync(new PutObjectArgs()
                            .WithBucket(_bucket)
                            .WithObject(ObjectName(temporaryKey))
                            .WithStreamData(body)
                            .WithObjectSize(length ?? -1)
                            .WithContentType(contentType), attemptToken).ConfigureAwait(false), token).ConfigureAwait(false);
                    return true;
                }, cancellationToken, retry: false).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// A server-side copy with <c>If-None-Match: *</c>: S3 creates the key only if no writer created it first (412
    /// otherwise), so of two writers racing for one key exactly one commits. Above 5 GiB the SDK copies in parts and
    /// sends its own CompleteMultipartUpload, which cannot carry the condition; there the key is checked just before the
    /// copy (a narrow race, stated in the store's README).
    /// </remarks>
    protected override async Task<bool> CommitAsync(string temporaryKey, string key, long sizeBytes, CancellationToken cancellationToken)
    {
        var conditional = sizeBytes <= MaxSingleCopyBytes;
        if (!conditional && await StatObjectAsync(key, cancellationToken).ConfigureAwait(false) is not null)
        {
            return false;
        }

        return await RunAsync(key, async token =>
        {
            var copy = new CopyObjectArgs()
                .WithBucket(_bucket)
                .WithObject(ObjectName(key))
                .WithCopyObjectSource(new CopySourceObjectArgs().WithBucket(_bucket).WithObject(ObjectName(temporaryKey)));
            try
            {
                await _client.CopyObjectAsync(conditional ? copy.WithHeaders(IfNoneMatchAny) : copy, token).ConfigureAwait(false);
                return true;
            }
            catch (PreconditionFailedException) when (conditional)
            {
                return false;
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override Task WriteSidecarBytesAsync(string sidecarKey, byte[] content, CancellationToken cancellationToken) =>
        RunAsync(sidecarKey, async token =>
        {
            await PutBytesAsync(ObjectName(sidecarKey), content, "application/json", token).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    protected override async Task<byte[]?> ReadSmallObjectAsync(string key, CancellationToken cancellationToken)
    {
        var stream = await OpenObjectAsync(key, 0, null, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return null;
        }

        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer.ToArray();
        }
    }

    /// <inheritdoc />
    protected override Task<Stream?> OpenObjectAsync(string key, long offset, long? length, CancellationToken cancellationToken) =>
        RunAsync(key, async token =>
        {
            var range = offset > 0 || length is not null ? new RangeHeaderValue(offset, length is { } l ? offset + l - 1 : null) : null;
            var response = await SendPresignedGetAsync(key, range, token).ConfigureAwait(false);
            return response is null ? null : (Stream?)new ResponseStream(response, await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false));
        }, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// A one-byte ranged GET rather than the SDK's HEAD: against s3rver every HEAD through the SDK costs about half a
    /// second (a PUT 40 ms), which made writing thousands of small artifacts crawl; the GET answers size and time too.
    /// </remarks>
    protected override Task<StoredObject?> StatObjectAsync(string key, CancellationToken cancellationToken) =>
        RunAsync(key, async token =>
        {
            using var response = await SendPresignedGetAsync(key, new RangeHeaderValue(0, 0), token).ConfigureAwait(false);
            if (response is null)
            {
                return null;
            }

            var size = response.Content.Headers.ContentRange?.Length ?? response.Content.Headers.ContentLength ?? 0;
            var modified = response.Content.Headers.LastModified ?? DateTimeOffset.MinValue;
            return new StoredObject(key, size, modified);
        }, cancellationToken);

    /// <summary>GETs the object through a presigned URL; null when it does not exist. Error statuses become exceptions the retry policy understands.</summary>
    private async Task<HttpResponseMessage?> SendPresignedGetAsync(string key, RangeHeaderValue? range, CancellationToken cancellationToken)
    {
        var url = await PresignAsync(key, TimeSpan.FromHours(1)).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = range;
        using var headerTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        headerTimeout.CancelAfter(Options.RequestTimeout);
        var response = await ReadClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headerTimeout.Token).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return response.StatusCode switch
            {
                HttpStatusCode.NotFound when !IsNoSuchBucket(body) => null,
                // An empty object has no byte 0 to range over; it exists with size 0.
                HttpStatusCode.RequestedRangeNotSatisfiable when range is { Ranges.Count: 1 } r && r.Ranges.First().From == 0 =>
                    await SendPresignedGetAsync(key, null, cancellationToken).ConfigureAwait(false),
                _ => throw FailureOf("GET", key, response.StatusCode, body),
            };
        }
    }

    /// <summary>
    /// The error for a failed presigned request: a missing bucket and refused credentials fail at once with the key's
    /// URI; any other status becomes an exception the retry policy sorts by its status code.
    /// </summary>
    private Exception FailureOf(string verb, string key, HttpStatusCode status, string body) => status switch
    {
        HttpStatusCode.NotFound when IsNoSuchBucket(body) => new ArtifactNotFoundException(GetUri(key), "NoSuchBucket: the bucket does not exist"),
        HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized => new ArtifactAccessDeniedException(GetUri(key), ServerCodeOf(body) ?? $"HTTP {(int)status}"),
        _ => new HttpRequestException($"{verb} {GetUri(key)} returned {(int)status}: {ServerCodeOf(body) ?? body}", null, status),
    };

    private static bool IsNoSuchBucket(string body) => body.Contains("NoSuchBucket", StringComparison.Ordinal);

    private static string? ServerCodeOf(string body)
    {
        var start = body.IndexOf("<Code>", StringComparison.Ordinal);
        var end = body.IndexOf("</Code>", StringComparison.Ordinal);
        return start >= 0 && end > start ? body[(start + 6)..end] : null;
    }

    /// <inheritdoc />
    protected override async IAsyncEnumerable<StoredObject> ListObjectsAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await WaitForBucketAsync(cancellationToken).ConfigureAwait(false);
        var items = _client.ListObjectsEnumAsync(new ListObjectsArgs().WithBucket(_bucket).WithPrefix(ObjectName(prefix)).WithRecursive(true), cancellationToken);
        await using var enumerator = items.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            Minio.DataModel.Item item;
            try
            {
                if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }

                item = enumerator.Current;
            }
            catch (Exception e) when (S3Errors.Translate(e, new Uri(Root.AbsoluteUri + prefix)) is { } translated)
            {
                throw translated;
            }

            if (item.IsDir)
            {
                continue;
            }

            var modified = item.LastModifiedDateTime is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : DateTimeOffset.MinValue;
            yield return new StoredObject(item.Key[_rootPrefix.Length..], (long)item.Size, modified);
        }
    }

    /// <inheritdoc />
    protected override Task DeleteObjectAsync(string key, CancellationToken cancellationToken) =>
        RunAsync(key, async token =>
        {
            await _client.RemoveObjectAsync(new RemoveObjectArgs().WithBucket(_bucket).WithObject(ObjectName(key)), token).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    protected override async Task<(int Aborted, IReadOnlyList<string> Notes)> AbortIncompleteUploadsAsync(string prefix, DateTimeOffset cutoff,
        CancellationToken cancellationToken)
    {
        var aborted = 0;
        try
        {
            var uploads = _client.ListIncompleteUploadsEnumAsync(
                new ListIncompleteUploadsArgs().WithBucket(_bucket).WithPrefix(ObjectName(prefix)).WithRecursive(true), cancellationToken);
            await foreach (var upload in uploads.ConfigureAwait(false))
            {
                if (DateTimeOffset.TryParse(upload.Initiated, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var started) && started > cutoff)
                {
                    continue;
                }

                await _client.RemoveIncompleteUploadAsync(new RemoveIncompleteUploadArgs().WithBucket(_bucket).WithObject(upload.Key), cancellationToken)
                    .ConfigureAwait(false);
                aborted++;
            }

            return (aborted, []);
        }
        catch (Exception e) when (e is NotImplementedException || (e is MinioException minio && minio.Response?.Code is "NotImplemented"))
        {
            return (aborted, [$"{Root} does not implement listing multipart uploads (NotImplemented); incomplete uploads are left to the bucket's lifecycle rule (AbortIncompleteMultipartUpload)"]);
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _client.Dispose();
        }
    }
}

using System.Net;
using System.Net.Sockets;
using Minio.Exceptions;

namespace Whetstone.Artifacts.S3;

/// <summary>Sorts S3 failures into transient (retry) and permanent (fail at once with a clear message).</summary>
internal static class S3Errors
{
    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "SlowDown", "InternalError", "ServiceUnavailable", "RequestTimeout", "RequestTimeTooSkewed", "OperationAborted", "XMinioServerNotInitialized",
        // 409 on S3 when another conditional write to the same key was in flight; S3 says to retry.
        "ConditionalRequestConflict",
    };

    private static readonly HashSet<string> AccessCodes = new(StringComparer.Ordinal)
    {
        "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "AllAccessDisabled", "AccountProblem", "InvalidToken", "ExpiredToken",
    };

    /// <summary>Whether retrying could succeed: refused or reset connections, timeouts, 5xx, 429 and S3 throttling.</summary>
    public static bool IsTransient(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case ArtifactStoreException:
                    return e is ArtifactStoreUnavailableException;
                case MinioException minio when ServerCode(minio) is { } code:
                    return TransientCodes.Contains(code) || IsTransientStatus(minio.ServerResponse?.StatusCode);
                case MinioException minio when IsTransientStatus(minio.ServerResponse?.StatusCode):
                case ConnectionException or InternalServerException:
                case HttpRequestException { StatusCode: null }:
                case SocketException or TimeoutException:
                    return true;
                case HttpRequestException http:
                    return IsTransientStatus(http.StatusCode);
                case IOException when e.InnerException is SocketException or null:
                    return true;
            }
        }

        return false;
    }

    private static bool IsTransientStatus(HttpStatusCode? status) =>
        status is { } s && ((int)s >= 500 || s == HttpStatusCode.TooManyRequests || s == HttpStatusCode.RequestTimeout);

    private static string? ServerCode(MinioException exception) =>
        string.IsNullOrEmpty(exception.Response?.Code) ? null : exception.Response.Code;

    /// <summary>The store exception to raise for <paramref name="exception"/>, or null to let it through (cancellation).</summary>
    public static ArtifactStoreException? Translate(Exception exception, Uri uri)
    {
        if (exception is OperationCanceledException or ArtifactStoreException or ArgumentException)
        {
            return null;
        }

        var code = exception is MinioException minio ? ServerCode(minio) : null;
        var status = (exception as MinioException)?.ServerResponse?.StatusCode ?? (exception as HttpRequestException)?.StatusCode;
        return exception switch
        {
            AccessDeniedException or AuthorizationException or ForbiddenException => new ArtifactAccessDeniedException(uri, code ?? "AccessDenied", exception),
            _ when code is not null && AccessCodes.Contains(code) => new ArtifactAccessDeniedException(uri, code, exception),
            _ when status is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized => new ArtifactAccessDeniedException(uri, $"HTTP {(int)status}", exception),
            BucketNotFoundException => new ArtifactNotFoundException(uri, "NoSuchBucket: the bucket does not exist", exception),
            _ when code is "NoSuchBucket" => new ArtifactNotFoundException(uri, "NoSuchBucket: the bucket does not exist", exception),
            ObjectNotFoundException => new ArtifactNotFoundException(uri, "NoSuchKey", exception),
            _ when code is "NoSuchKey" => new ArtifactNotFoundException(uri, "NoSuchKey", exception),
            InvalidBucketNameException => new ArtifactStoreException(uri, $"invalid bucket name in {uri}: {exception.Message}", exception),
            _ when code is "InvalidBucketName" => new ArtifactStoreException(uri, $"invalid bucket name in {uri}", exception),
            _ when IsTransient(exception) => new ArtifactStoreUnavailableException(uri, $"still failing after retries: {Describe(exception)}", exception),
            _ => new ArtifactStoreException(uri, $"S3 request for {uri} failed: {Describe(exception)}", exception),
        };
    }

    private static string Describe(Exception exception) =>
        exception is MinioException minio && ServerCode(minio) is { } code ? $"{code}: {minio.Message}" : $"{exception.GetType().Name}: {exception.Message}";
}

using System.Globalization;
using Whetstone.Api;
using Whetstone.Api.Workers;
using Whetstone.Artifacts;
using Whetstone.Artifacts.Models;
using Whetstone.ML.Models;

namespace Whetstone.Worker.Jobs;

/// <summary>
/// Turns the URIs a job's spec names into local files and verified digests: <c>file://</c> paths in place, any other
/// store through the artifact store (models via the node's model cache, or one under the work folder, files downloaded into it).
/// A pinned digest that does not match fails with <see cref="ConditionReasons.DigestMismatch"/>; every failure names
/// the spec field.
/// </summary>
internal sealed class JobInputs(IWorkerJobContext context, Action<string>? say = null)
{
    /// <summary>The weights files a plain (manifest-less) model folder is recognised by, in order of preference.</summary>
    public static IReadOnlyList<string> PlainModelWeights { get; } = [LlamaCheckpoint.WeightsFileName, "model.onnx"];

    private readonly ArtifactStoreOptions _storeOptions = ArtifactStoreOptions.FromEnvironment();

    /// <summary>Opens the output root <paramref name="rootUri"/>; a URI no store accepts fails with <paramref name="reason"/>.</summary>
    public IArtifactStore OpenOutput(string rootUri, string reason)
    {
        try
        {
            return ArtifactStoreFactory.Create(rootUri.EndsWith('/') ? rootUri : rootUri + "/", _storeOptions);
        }
        catch (ArgumentException error)
        {
            throw new JobFailureException(reason, $"spec.output.uri: {error.Message}", error);
        }
    }

    /// <summary>
    /// The model folder at <paramref name="uri"/> and its digest. A plain folder (no manifest, like the committed
    /// examples) is read in place and its digest is its weights file's; a stored model comes through the model cache,
    /// which checks the manifest. <paramref name="pinField"/> names what pinned <paramref name="pin"/> in a mismatch.
    /// <paramref name="plainFiles"/> (default <see cref="PlainModelWeights"/>) are the files, in order, one of which
    /// makes a plain folder a model and gives its digest.
    /// </summary>
    public async Task<(string Directory, string Digest)> FetchModelAsync(string uri, string? pin, string field, string pinField, string notFoundReason, CancellationToken cancellationToken, IReadOnlyList<string>? plainFiles = null)
    {
        var local = ArtifactUris.LocalPathOf(uri);
        plainFiles ??= PlainModelWeights;
        if (local is not null && Directory.Exists(local) && !File.Exists(Path.Combine(local, ModelManifest.FileName)))
        {
            var weights = plainFiles.Select(name => Path.Combine(local, name)).FirstOrDefault(File.Exists)
                ?? throw new JobFailureException(ConditionReasons.ModelInvalid, $"{field}: {local} holds none of {string.Join(", ", plainFiles)}");
            var digest = await DigestOfFileAsync(weights, cancellationToken).ConfigureAwait(false);
            VerifyPin(digest, pin, $"{field} {uri}", pinField);
            return (local, digest);
        }

        if (local is not null && !Directory.Exists(local))
        {
            throw new JobFailureException(notFoundReason, $"{field}.uri: {local} does not exist");
        }

        var folder = uri.EndsWith('/') ? uri : uri + "/";
        var parent = folder[..folder.TrimEnd('/').LastIndexOf('/')] + "/";
        try
        {
            using var store = ArtifactStoreFactory.Create(parent, _storeOptions);
            var cached = await NodeModelCache(context.WorkDirectory).GetAsync(store, folder[parent.Length..], pin, cancellationToken).ConfigureAwait(false);
            say?.Invoke(DescribeCacheUse(field, cached));
            return (cached.Directory, cached.Digest);
        }
        catch (ArtifactIntegrityException error)
        {
            throw new JobFailureException(ConditionReasons.DigestMismatch, $"{field} {uri}: {error.Message}", error);
        }
        catch (ArtifactNotFoundException error)
        {
            throw new JobFailureException(notFoundReason, $"{field} {uri}: {error.Message}", error);
        }
        catch (Exception error) when (error is ArtifactStoreException or ArgumentException or IOException)
        {
            throw new JobFailureException(ConditionReasons.ArtifactStoreError, $"{field} {uri}: {error.Message}", error);
        }
    }

    /// <summary>The file at <paramref name="uri"/> (downloaded when not local) and its digest, checked against <c>&lt;field&gt;.digest</c>.</summary>
    public async Task<(string Path, string Digest)> FetchFileAsync(string uri, string? pin, string field, string notFoundReason, CancellationToken cancellationToken)
    {
        var path = await LocalFileAsync(uri, field, notFoundReason, cancellationToken).ConfigureAwait(false);
        if (!File.Exists(path))
        {
            throw new JobFailureException(notFoundReason, $"{field}.uri: {path} does not exist");
        }

        var digest = await DigestOfFileAsync(path, cancellationToken).ConfigureAwait(false);
        VerifyPin(digest, pin, $"{field} {uri}", field + ".digest");
        return (path, digest);
    }

    /// <summary>A local path for the file at <paramref name="uri"/>: in place for <c>file://</c>, else downloaded into the work folder.</summary>
    public async Task<string> LocalFileAsync(string uri, string field, string notFoundReason, CancellationToken cancellationToken)
    {
        if (ArtifactUris.LocalPathOf(uri) is { } local)
        {
            return local;
        }

        // Prefixed by the URI's digest, so two inputs with the same file name never overwrite each other.
        var target = Path.Combine(context.WorkDirectory, "source", ArtifactDigest.Compute(System.Text.Encoding.UTF8.GetBytes(uri))[7..19] + "-" + Path.GetFileName(new Uri(uri).AbsolutePath));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        try
        {
            var (store, key) = ArtifactStoreFactory.Resolve(uri, _storeOptions);
            using (store)
            {
                var source = await store.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
                await using (source.ConfigureAwait(false))
                {
                    await using var file = File.Create(target);
                    await source.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (ArtifactIntegrityException error)
        {
            throw new JobFailureException(ConditionReasons.DigestMismatch, $"{field} {uri}: {error.Message}", error);
        }
        catch (ArtifactNotFoundException error)
        {
            throw new JobFailureException(notFoundReason, $"{field}.uri: {error.Message}", error);
        }
        catch (Exception error) when (error is ArtifactStoreException or ArgumentException)
        {
            throw new JobFailureException(ConditionReasons.ArtifactStoreError, $"{field} {uri}: {error.Message}", error);
        }

        return target;
    }

    /// <summary>One log line on how a model came from the node's cache.</summary>
    internal static string DescribeCacheUse(string field, CachedModel cached) => cached switch
    {
        { CacheHit: false, Eviction: { } eviction } => $"{field}: {cached.Digest} downloaded into the node's model cache; " + DescribeEviction(eviction),
        { CacheHit: false } => $"{field}: {cached.Digest} downloaded into the node's model cache",
        { BytesHashedToCheck: 0 } => $"{field}: {cached.Digest} from the node's model cache, checked by its record of file sizes and times",
        _ => string.Create(CultureInfo.InvariantCulture, $"{field}: {cached.Digest} from the node's model cache, {cached.BytesHashedToCheck / 1048576.0:F1} MiB hashed to check it"),
    };

    /// <summary>
    /// The node's shared cache when <paramref name="configured"/> (<c>WHETSTONE_MODEL_CACHE</c>) names one, else the
    /// job's own <c>models</c> folder under <paramref name="workDirectory"/>.
    /// </summary>
    /// <summary>The node's model cache as the pod's environment sets it (its directory and its bound).</summary>
    private static string DescribeEviction(CacheEviction eviction) => string.Create(CultureInfo.InvariantCulture,
        $"the cache holds {eviction.BytesAfter / 1073741824.0:F2} GiB of its {eviction.BoundBytes / 1073741824.0:F2} GiB bound")
        + (eviction.Removed.Count > 0 ? $" after removing {string.Join(", ", eviction.Removed)} (least recently used)" : "")
        + (eviction.StillOver ? "; still over it: every other entry was used in the last 10 minutes or is held by another worker" : "");

    /// <summary>The node's model cache as the pod's environment sets it (its directory and its bound).</summary>
    public static ModelCache NodeModelCache(string workDirectory) => new(
        ModelCacheDirectoryFor(Environment.GetEnvironmentVariable(WorkerEnvironmentVariables.ModelCache), workDirectory),
        ModelCacheBoundFrom(Environment.GetEnvironmentVariable(WorkerEnvironmentVariables.ModelCacheMaxBytes)));

    /// <summary>The cache's bound from <see cref="WorkerEnvironmentVariables.ModelCacheMaxBytes"/>; null (unbounded) when unset.</summary>
    public static long? ModelCacheBoundFrom(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null
        : long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) && bytes > 0 ? bytes
        : throw new InvalidOperationException($"{WorkerEnvironmentVariables.ModelCacheMaxBytes} is '{value}': it must be a positive number of bytes");

    public static string ModelCacheDirectoryFor(string? configured, string workDirectory) =>
        string.IsNullOrWhiteSpace(configured) ? Path.Combine(workDirectory, "models") : configured;

    private static void VerifyPin(string digest, string? pin, string subject, string pinField)
    {
        if (pin is not null && !string.Equals(pin, digest, StringComparison.Ordinal))
        {
            throw new JobFailureException(ConditionReasons.DigestMismatch, $"{subject}: digest is {digest}, {pinField} pins {pin}");
        }
    }

    private static async Task<string> DigestOfFileAsync(string path, CancellationToken cancellationToken)
    {
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            return await ArtifactDigest.ComputeAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }
}

using Whetstone.Api.Workers;
using Whetstone.Artifacts;
using Whetstone.Artifacts.Models;
using Whetstone.Worker.Jobs;

namespace Whetstone.Worker.Serving;

/// <summary>
/// Turns <c>--model</c> into a local model directory: a path or <c>file://</c> URI as is; any store URI
/// (<c>s3://bucket/prefix/</c>) downloaded once into the node's model cache, verified against its manifest digest
/// (and against <c>--digest</c> when given).
/// </summary>
internal static class ServedModelSource
{
    public static async Task<string> ResolveAsync(string model, string? digest, string cacheDirectory, CancellationToken cancellationToken)
    {
        if (!model.Contains("://", StringComparison.Ordinal))
        {
            return Path.GetFullPath(model);
        }
        if (ArtifactUris.LocalPathOf(model) is { } local)
        {
            return local;
        }
        var folder = model.EndsWith('/') ? model : model + "/";
        var parent = folder[..(folder.TrimEnd('/').LastIndexOf('/') + 1)];
        var name = folder[parent.Length..];
        using var store = ArtifactStoreFactory.Create(parent, ArtifactStoreOptions.FromEnvironment());
        var cached = await new ModelCache(cacheDirectory, JobInputs.ModelCacheBoundFrom(Environment.GetEnvironmentVariable(WorkerEnvironmentVariables.ModelCacheMaxBytes)))
            .GetAsync(store, name, digest, cancellationToken).ConfigureAwait(false);
        return cached.Directory;
    }

    /// <summary>
    /// The digest that keys the response cache: <paramref name="pinned"/> when given (it is also checked against a
    /// store model's manifest); for a local directory, SHA-256 over each file's relative path and content digest. A
    /// store URI without a pin has no digest before it is downloaded, so the cache needs <c>--digest</c> there.
    /// </summary>
    public static async Task<string> CacheDigestAsync(string model, string? pinned, CancellationToken cancellationToken)
    {
        if (pinned is not null)
        {
            return pinned;
        }
        var local = !model.Contains("://", StringComparison.Ordinal) ? Path.GetFullPath(model) : ArtifactUris.LocalPathOf(model)
            ?? throw new ArgumentException($"--digest: required with --response-cache-entries for a store model ({model}); the cache is keyed by the model's digest");
        var lines = new System.Text.StringBuilder();
        foreach (var file in Directory.EnumerateFiles(local, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            await using var content = File.OpenRead(file);
            lines.Append(Path.GetRelativePath(local, file)).Append('\n').Append(await ArtifactDigest.ComputeAsync(content, cancellationToken).ConfigureAwait(false)).Append('\n');
        }
        return ArtifactDigest.Compute(System.Text.Encoding.UTF8.GetBytes(lines.ToString()));
    }

    /// <summary>The name <c>/v1/models</c> reports by default: the model folder's name.</summary>
    public static string DefaultName(string model) =>
        Path.GetFileName(model.TrimEnd('/')) is { Length: > 0 } name ? name : "model";
}

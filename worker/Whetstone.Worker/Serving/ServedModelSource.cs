using Whetstone.Artifacts;
using Whetstone.Artifacts.Models;
using Whetstone.Worker.FineTuning;

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
        var cached = await new ModelCache(cacheDirectory).GetAsync(store, name, digest, cancellationToken).ConfigureAwait(false);
        return cached.Directory;
    }

    /// <summary>The name <c>/v1/models</c> reports by default: the model folder's name.</summary>
    public static string DefaultName(string model) =>
        Path.GetFileName(model.TrimEnd('/')) is { Length: > 0 } name ? name : "model";
}

namespace Whetstone.LocalCluster.Node.Kubelet;

/// <summary>Finds the local command configured for a container image (rules in <see cref="LocalNodeOptions.Images"/>).</summary>
public static class ImageResolver
{
    /// <summary>Returns the matching command, or null when the node has no mapping for <paramref name="image"/>.</summary>
    public static ImageCommand? Resolve(string image, IReadOnlyDictionary<string, ImageCommand> images)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(images);
        if (images.TryGetValue(image, out var exact))
        {
            return exact;
        }

        if (images.TryGetValue(WithoutTagOrDigest(image), out var untagged))
        {
            return untagged;
        }

        return images
            .Where(pair => pair.Key.EndsWith('*') && image.StartsWith(pair.Key[..^1], StringComparison.Ordinal))
            .OrderByDescending(pair => pair.Key.Length)
            .Select(pair => pair.Value)
            .FirstOrDefault();
    }

    /// <summary>"registry:5000/team/worker:1.2@sha256:…" becomes "registry:5000/team/worker".</summary>
    public static string WithoutTagOrDigest(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var at = image.IndexOf('@', StringComparison.Ordinal);
        var name = at >= 0 ? image[..at] : image;
        var colon = name.LastIndexOf(':');
        // A colon before the last slash belongs to a registry port, not a tag.
        return colon > name.LastIndexOf('/') ? name[..colon] : name;
    }
}

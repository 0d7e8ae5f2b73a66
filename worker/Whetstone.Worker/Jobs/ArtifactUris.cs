namespace Whetstone.Worker.Jobs;

/// <summary>
/// Task files may name local files relative to their own folder: <c>file://../datasets/x.jsonl</c> or
/// <c>file:models/tiny</c> (anything after <c>file:</c> or <c>file://</c> that does not start with <c>/</c>).
/// Such URIs are made absolute against the task file's folder; every other URI is returned unchanged.
/// </summary>
internal static class ArtifactUris
{
    public static string Resolve(string uri, string? baseDirectory)
    {
        if (baseDirectory is null || !uri.StartsWith("file:", StringComparison.Ordinal))
        {
            return uri;
        }

        var rest = uri.StartsWith("file://", StringComparison.Ordinal) ? uri["file://".Length..] : uri["file:".Length..];
        if (rest.StartsWith('/'))
        {
            return uri;
        }

        var trailingSlash = rest.EndsWith('/');
        var full = Path.GetFullPath(Path.Combine(baseDirectory, rest));
        return new Uri(full).AbsoluteUri + (trailingSlash && !full.EndsWith('/') ? "/" : "");
    }

    /// <summary>The local path of a <c>file://</c> URI, or null for any other scheme.</summary>
    public static string? LocalPathOf(string uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.IsFile ? parsed.LocalPath : null;
}

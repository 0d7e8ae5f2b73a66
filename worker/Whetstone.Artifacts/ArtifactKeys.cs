namespace Whetstone.Artifacts;

/// <summary>
/// Key rules and the names of the store's own bookkeeping objects. Sidecars (<c>&lt;key&gt;.whetstone.json</c>) and
/// temporaries (<c>&lt;key&gt;.whetstone-tmp-&lt;id&gt;</c>) live next to their artifact so that a file-store rename
/// stays inside one directory and a cleanup of a prefix also finds the leftovers of writes under it.
/// </summary>
public static class ArtifactKeys
{
    /// <summary>Suffix of the sidecar manifest stored beside every artifact.</summary>
    public const string SidecarSuffix = ".whetstone.json";

    /// <summary>Marker inside the name of a temporary object of a write in progress.</summary>
    public const string TemporaryMarker = ".whetstone-tmp-";

    /// <summary>Throws a clear error when <paramref name="key"/> cannot name an artifact.</summary>
    public static string Validate(string key, string field = "key")
    {
        ArgumentNullException.ThrowIfNull(key, field);
        string? problem = key switch
        {
            "" => "is empty",
            _ when key.StartsWith('/') => "starts with '/' (keys are relative to the store's root)",
            _ when key.EndsWith('/') => "ends with '/' (that names a folder, not an artifact)",
            _ when key.Contains('\\', StringComparison.Ordinal) => "contains '\\'",
            _ when key.Contains("//", StringComparison.Ordinal) => "contains an empty path segment ('//')",
            _ when key.Split('/').Any(s => s is "." or "..") => "contains a '.' or '..' segment",
            _ when key.EndsWith(SidecarSuffix, StringComparison.Ordinal) => $"ends with '{SidecarSuffix}', reserved for sidecar manifests",
            _ when key.Contains(TemporaryMarker, StringComparison.Ordinal) => $"contains '{TemporaryMarker}', reserved for writes in progress",
            _ when key.Any(char.IsControl) => "contains a control character",
            _ => null,
        };
        return problem is null ? key : throw new ArgumentException($"{field} '{key}' {problem}", field);
    }

    /// <summary>Throws a clear error when <paramref name="prefix"/> cannot be listed ("" lists everything).</summary>
    public static string ValidatePrefix(string prefix, string field = "prefix")
    {
        ArgumentNullException.ThrowIfNull(prefix, field);
        if (prefix.StartsWith('/') || prefix.Contains('\\', StringComparison.Ordinal) || prefix.Split('/').Any(s => s is ".."))
        {
            throw new ArgumentException($"{field} '{prefix}' must be relative, use '/' and have no '..' segment", field);
        }

        return prefix;
    }

    /// <summary>The sidecar manifest key of <paramref name="key"/>.</summary>
    public static string SidecarOf(string key) => key + SidecarSuffix;

    /// <summary>A fresh temporary key beside <paramref name="key"/>.</summary>
    public static string TemporaryFor(string key) => key + TemporaryMarker + Guid.NewGuid().ToString("N");

    /// <summary>Whether <paramref name="key"/> is a sidecar or a temporary, never shown in listings.</summary>
    public static bool IsBookkeeping(string key) =>
        key.EndsWith(SidecarSuffix, StringComparison.Ordinal) || key.Contains(TemporaryMarker, StringComparison.Ordinal);

    /// <summary>
    /// Where a job writes its outputs: <c>&lt;outputPrefix&gt;/&lt;jobUid&gt;/</c>, so two runs never share a key.
    /// </summary>
    public static string JobOutputPrefix(string outputPrefix, string jobUid)
    {
        ArgumentNullException.ThrowIfNull(outputPrefix);
        if (string.IsNullOrWhiteSpace(jobUid) || jobUid.Contains('/', StringComparison.Ordinal) || jobUid is "." or "..")
        {
            throw new ArgumentException($"jobUid '{jobUid}' must be a non-empty single path segment", nameof(jobUid));
        }

        var trimmed = outputPrefix.TrimEnd('/');
        return trimmed.Length == 0 ? $"{jobUid}/" : $"{trimmed}/{jobUid}/";
    }

    /// <summary>The job output location as a URI: <c>s3://bucket/models/x/</c> + uid → <c>s3://bucket/models/x/&lt;uid&gt;/</c>.</summary>
    public static Uri JobOutputUri(Uri outputUri, string jobUid)
    {
        ArgumentNullException.ThrowIfNull(outputUri);
        var text = outputUri.AbsoluteUri;
        return new Uri(JobOutputPrefix(text, jobUid));
    }
}

namespace Whetstone.Api.V1Alpha1;

/// <summary>An artifact a job wrote: where it is, its content digest and its size.</summary>
public sealed record ArtifactRef
{
    /// <summary>Location of the artifact (<c>s3://…</c> or <c>file:///…</c>).</summary>
    public string? Uri { get; set; }

    /// <summary>Content digest, <c>sha256:…</c>.</summary>
    public string? Digest { get; set; }

    /// <summary>Size in bytes (for a directory, the sum of its files).</summary>
    public long? SizeBytes { get; set; }
}

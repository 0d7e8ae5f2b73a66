namespace Whetstone.Artifacts;

/// <summary>What a listing or a stat says about one stored artifact.</summary>
/// <param name="Key">Key relative to the store's root.</param>
/// <param name="Uri">Full address of the artifact.</param>
/// <param name="SizeBytes">Length in bytes.</param>
/// <param name="LastModified">When the store last wrote it.</param>
public sealed record ArtifactInfo(string Key, Uri Uri, long SizeBytes, DateTimeOffset LastModified);

namespace Whetstone.Artifacts;

/// <summary>An artifact that is completely written and visible: where it is, what it is (digest) and how big.</summary>
/// <param name="Uri">Full address, <c>s3://bucket/key</c> or <c>file:///path</c>.</param>
/// <param name="Digest">Content digest, <c>sha256:&lt;64 lowercase hex&gt;</c>.</param>
/// <param name="SizeBytes">Length of the content in bytes.</param>
/// <param name="ContentType">Media type recorded at write time.</param>
public sealed record StoredArtifact(Uri Uri, string Digest, long SizeBytes, string ContentType);

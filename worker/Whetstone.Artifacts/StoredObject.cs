namespace Whetstone.Artifacts;

/// <summary>One raw object or file as the backend sees it, bookkeeping included.</summary>
/// <param name="Key">Key relative to the store's root.</param>
/// <param name="SizeBytes">Length in bytes.</param>
/// <param name="LastModified">When the backend last wrote it.</param>
public sealed record StoredObject(string Key, long SizeBytes, DateTimeOffset LastModified);

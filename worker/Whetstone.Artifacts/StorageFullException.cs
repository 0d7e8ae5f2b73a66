using System.Globalization;

namespace Whetstone.Artifacts;

/// <summary>
/// A write failed because its file system is full or over quota, or the file would pass the process's file-size
/// limit (<see cref="StorageErrors"/>). The message names where the write went and its bytes, never a stack trace.
/// </summary>
public sealed class StorageFullException : IOException
{
    /// <summary>Creates the error for a write to <paramref name="location"/> that failed with <paramref name="cause"/>.</summary>
    /// <param name="location">The path or store URI the write went to.</param>
    /// <param name="bytesToWrite">The size of what was being written, when known.</param>
    /// <param name="bytesWritten">How much of it was written before the failure.</param>
    /// <param name="cause">The operating system's error (<see cref="StorageErrors.IsStorageFull"/> holds for it).</param>
    public StorageFullException(string location, long? bytesToWrite, long bytesWritten, Exception cause)
        : base(Describe(location, bytesToWrite, bytesWritten, cause), cause)
    {
        Location = location;
        BytesToWrite = bytesToWrite;
        BytesWritten = bytesWritten;
    }

    /// <summary>The path or store URI the write went to.</summary>
    public string Location { get; }

    /// <summary>The size of what was being written, when known in advance (null otherwise).</summary>
    public long? BytesToWrite { get; }

    /// <summary>How much had been written when the write failed.</summary>
    public long BytesWritten { get; }

    private static string Describe(string location, long? bytesToWrite, long bytesWritten, Exception cause)
    {
        var size = bytesToWrite is { } total
            ? string.Create(CultureInfo.InvariantCulture, $"{total:N0} bytes")
            : "its size not known in advance";
        return string.Create(CultureInfo.InvariantCulture,
            $"{StorageErrors.Describe(cause)} writing {location} ({size}; {bytesWritten:N0} bytes written when it failed)");
    }
}

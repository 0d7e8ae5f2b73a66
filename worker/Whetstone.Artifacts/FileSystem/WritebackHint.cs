using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Whetstone.Artifacts.FileSystem;

/// <summary>
/// Starts the kernel writing a just-written range of a file to disk without waiting for it (Linux
/// <c>sync_file_range(SYNC_FILE_RANGE_WRITE)</c>), so that the disk works while the put is still hashing and writing,
/// and the closing fsync finds little left to do. Only a hint: durability still comes from that fsync. On other
/// systems, or where the call fails, it does nothing.
/// </summary>
/// <remarks>
/// Why not fsync every few MiB instead: each fsync waits for its range and, on ext4, commits the journal, which
/// serialized writing behind the disk and made a 256 MiB put 2–4× a single copy with one fsync.
/// </remarks>
internal static partial class WritebackHint
{
    private const uint SyncFileRangeWrite = 2;
    private static bool _unavailable = !OperatingSystem.IsLinux();

    /// <summary>Asks for <paramref name="length"/> bytes from <paramref name="offset"/> to be written back now.</summary>
    public static void Start(SafeFileHandle file, long offset, long length)
    {
        if (_unavailable)
        {
            return;
        }

        try
        {
            _ = sync_file_range(file, offset, length, SyncFileRangeWrite);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            _unavailable = true;
        }
    }

#pragma warning disable IDE1006, CA1707, SYSLIB1054 // the C function's own name; a plain DllImport needs no unsafe code
    [DllImport("libc", SetLastError = true)]
    private static extern int sync_file_range(SafeFileHandle fd, long offset, long nbytes, uint flags);
#pragma warning restore IDE1006, CA1707, SYSLIB1054
}

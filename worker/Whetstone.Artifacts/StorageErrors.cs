namespace Whetstone.Artifacts;

/// <summary>
/// Recognises the errors of a write that ran out of room: ENOSPC (28, the file system is full), EDQUOT (122, the user's
/// quota) and EFBIG (27, the file would pass the process's file-size limit, <c>ulimit -f</c>, when SIGXFSZ is ignored).
/// .NET on Linux raises the first two as <see cref="IOException"/> whose <see cref="Exception.HResult"/> is the errno,
/// and EFBIG as an <see cref="ArgumentOutOfRangeException"/> for the parameter "value" from its file I/O.
/// </summary>
public static class StorageErrors
{
    /// <summary>ENOSPC: no space left on device.</summary>
    public const int NoSpace = 28;

    /// <summary>EDQUOT: disk quota exceeded.</summary>
    public const int QuotaExceeded = 122;

    /// <summary>EFBIG: file too large (over the process's file-size limit).</summary>
    public const int FileTooLarge = 27;

    /// <summary>Whether <paramref name="error"/> or an exception inside it is a write that ran out of room.</summary>
    public static bool IsStorageFull(Exception? error) => Find(error) is not null;

    /// <summary>The first exception in <paramref name="error"/>'s chain (itself, inner exceptions) that ran out of room, or null.</summary>
    public static Exception? Find(Exception? error)
    {
        for (var current = error; current is not null; current = current.InnerException)
        {
            if (current is StorageFullException || Errno(current) is not null)
            {
                return current;
            }

            if (current is AggregateException aggregate)
            {
                return aggregate.InnerExceptions.Select(Find).FirstOrDefault(e => e is not null);
            }
        }

        return null;
    }

    /// <summary>The cause in words, for example "no space left on device (ENOSPC)".</summary>
    public static string Describe(Exception error) => Errno(error) switch
    {
        NoSpace => "no space left on device (ENOSPC)",
        QuotaExceeded => "disk quota exceeded (EDQUOT)",
        FileTooLarge => "file over the process's file-size limit (EFBIG)",
        _ when error is StorageFullException full => Describe(full.InnerException!),
        _ => "storage full",
    };

    private static int? Errno(Exception error) => error switch
    {
        IOException { HResult: NoSpace or QuotaExceeded or FileTooLarge } io => io.HResult,
        ArgumentOutOfRangeException { ParamName: "value" } tooBig when IsFromFileIo(tooBig) => FileTooLarge,
        _ => null,
    };

    // .NET maps EFBIG to ArgumentOutOfRangeException("value", "Specified file length was too large for the file
    // system"); the same type and parameter name from anywhere else is a caller's bug, not a full disk.
    private static bool IsFromFileIo(ArgumentOutOfRangeException error) =>
        error.Message.StartsWith("Specified file length was too large for the file system", StringComparison.Ordinal);
}

using System.Globalization;
using Whetstone.Api;
using Whetstone.Artifacts;

namespace Whetstone.Worker.Jobs;

/// <summary>
/// Turns any failure of an attempt whose cause is a write that ran out of room (<see cref="StorageErrors"/>: a full
/// artifact store, a full scratch directory, a quota, the file-size limit) into reason <c>StorageFull</c> with one line
/// naming where the write went and its bytes, whatever reason the code that caught it first chose.
/// </summary>
internal static class StorageFullFailure
{
    /// <summary>The <c>StorageFull</c> failure hidden in <paramref name="error"/>, or null when it is something else.</summary>
    public static JobFailureException? From(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return StorageErrors.Find(error) switch
        {
            null => null,
            StorageFullException full => new JobFailureException(ConditionReasons.StorageFull, full.Message, error),
            var cause => new JobFailureException(ConditionReasons.StorageFull, DescribeUnlocated(cause), error),
        };
    }

    // The operating system's error without our own wrapper: ENOSPC and EDQUOT name the path in .NET's message; EFBIG
    // does not, so the limit that was hit is named instead.
    private static string DescribeUnlocated(Exception cause)
    {
        var what = StorageErrors.Describe(cause);
        var path = PathIn(cause.Message);
        if (path is not null)
        {
            var info = new FileInfo(path);
            var written = info.Exists ? info.Length : 0;
            return string.Create(CultureInfo.InvariantCulture, $"{what} writing {path} ({written:N0} bytes written when it failed)");
        }

        return FileSizeLimit() is { } limit
            ? string.Create(CultureInfo.InvariantCulture, $"{what}: a write would have made a file larger than the limit of {limit:N0} bytes")
            : $"{what}: {cause.Message}";
    }

    // .NET's I/O messages end with " : '<path>'".
    private static string? PathIn(string message)
    {
        var start = message.LastIndexOf(" : '", StringComparison.Ordinal);
        return start >= 0 && message.EndsWith('\'') ? message[(start + 4)..^1] : null;
    }

    private static long? FileSizeLimit()
    {
        try
        {
            var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max file size", StringComparison.Ordinal));
            var soft = line?["Max file size".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            return long.TryParse(soft, CultureInfo.InvariantCulture, out var bytes) ? bytes : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}

using Whetstone.Artifacts;

namespace Whetstone.Worker.Jobs;

/// <summary>
/// Names the folder of a local write that ran out of room. .NET names the file for ENOSPC and EDQUOT but not for
/// EFBIG (the file-size limit), and a checkpoint or a staged model is many files, so a failure of the whole write is
/// reported as a <see cref="StorageFullException"/> on its folder with the bytes the folder held when it failed.
/// </summary>
internal static class ScratchWrites
{
    /// <summary>Runs <paramref name="write"/>, which writes under <paramref name="directory"/> (<paramref name="what"/>).</summary>
    public static void Run(string directory, string what, Action write)
    {
        ArgumentNullException.ThrowIfNull(write);
        try
        {
            write();
        }
        catch (Exception error) when (IsUnlocated(error))
        {
            throw Located(directory, what, error);
        }
    }

    /// <summary>Runs <paramref name="write"/>, which writes under <paramref name="directory"/> (<paramref name="what"/>).</summary>
    public static async Task<T> RunAsync<T>(string directory, string what, Func<Task<T>> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        try
        {
            return await write().ConfigureAwait(false);
        }
        catch (Exception error) when (IsUnlocated(error))
        {
            throw Located(directory, what, error);
        }
    }

    private static bool IsUnlocated(Exception error) => StorageErrors.Find(error) is { } cause && cause is not StorageFullException;

    private static StorageFullException Located(string directory, string what, Exception error) =>
        new($"{what} in {directory}", null, BytesUnder(directory), StorageErrors.Find(error)!);

    private static long BytesUnder(string directory)
    {
        try
        {
            return Directory.Exists(directory)
                ? new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length)
                : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}

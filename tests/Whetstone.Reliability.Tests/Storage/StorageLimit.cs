using System.Diagnostics;
using System.Globalization;

namespace Whetstone.Reliability.Tests.Storage;

/// <summary>
/// A size-limited place to write: a tmpfs of <see cref="Bytes"/> mounted on <see cref="Directory"/> where this process
/// may mount (root here), else a file-size limit of the same size on the worker process (<c>ulimit -f</c>, with SIGXFSZ
/// ignored so a write past it fails with EFBIG instead of killing the process), which needs no privilege (CI).
/// </summary>
public sealed class StorageLimit : IDisposable
{
    private StorageLimit(string directory, long bytes, bool mounted)
    {
        Directory = directory;
        Bytes = bytes;
        IsMounted = mounted;
    }

    /// <summary>The limited directory (with the file-size limit: an ordinary one).</summary>
    public string Directory { get; }

    /// <summary>The limit in bytes.</summary>
    public long Bytes { get; }

    /// <summary>Whether a tmpfs is mounted; false: the file-size limit stands in.</summary>
    public bool IsMounted { get; }

    /// <summary>The mechanism in words, for the reliability table.</summary>
    public string Mechanism => IsMounted
        ? string.Create(CultureInfo.InvariantCulture, $"a {Bytes / 1024} KiB tmpfs mounted on the directory")
        : string.Create(CultureInfo.InvariantCulture, $"a {Bytes / 1024} KiB file-size limit on the worker (ulimit -f, SIGXFSZ ignored: EFBIG; mounting was not permitted)");

    /// <summary>
    /// The shell lines that start the worker under this limit: none for a tmpfs (the directory is the limit), else
    /// the file-size limit in 512-byte blocks (dash's unit), which every file the process writes is held to.
    /// </summary>
    public string ShellPrefix => IsMounted
        ? ""
        : string.Create(CultureInfo.InvariantCulture, $"trap '' XFSZ; ulimit -f {Bytes / 512}; ");

    /// <summary>
    /// Limits <paramref name="directory"/> (created if missing) to <paramref name="mountBytes"/> with a tmpfs, or, where
    /// mounting is not permitted (or <c>WHETSTONE_RELIABILITY_NO_MOUNT=1</c>), every file of the worker to
    /// <paramref name="fileSizeBytes"/>. The two sizes differ where a fault must hit the same write either way: a
    /// file-size limit holds every file the worker writes, scratch included, to the limit.
    /// </summary>
    public static StorageLimit Create(string directory, long mountBytes, long fileSizeBytes)
    {
        System.IO.Directory.CreateDirectory(directory);
        var mounted = Environment.GetEnvironmentVariable("WHETSTONE_RELIABILITY_NO_MOUNT") != "1"
                      && Run("mount", "-t", "tmpfs", "-o", string.Create(CultureInfo.InvariantCulture, $"size={mountBytes}"), "tmpfs", directory) == 0;
        return new StorageLimit(directory, mounted ? mountBytes : fileSizeBytes, mounted);
    }

    /// <summary>Lifts the limit (a larger tmpfs keeps the files; the file-size limit is simply not applied again).</summary>
    public void Lift()
    {
        if (IsMounted && Run("mount", "-o", "remount,size=256m", Directory) != 0)
        {
            throw new InvalidOperationException($"could not remount {Directory} larger");
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (IsMounted)
        {
            Run("umount", "-l", Directory);
        }
    }

    private static int Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }
}

using System.Runtime.InteropServices;

namespace Whetstone.Artifacts.FileSystem;

/// <summary>link(2) from the C library: a new name for an existing file, refused with EEXIST when the name is taken.</summary>
internal static class PosixLink
{
    /// <summary>EEXIST on Linux and macOS.</summary>
    public const int AlreadyExists = 17;

    /// <summary>0 on success; -1 with the error in <see cref="Marshal.GetLastPInvokeError"/>.</summary>
    public static int Link(string oldPath, string newPath) => link(oldPath, newPath);

#pragma warning disable IDE1006, CA1707, SYSLIB1054, CA2101 // the C function's own name; a plain DllImport needs no unsafe code; paths are UTF-8
    [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int link([MarshalAs(UnmanagedType.LPUTF8Str)] string oldpath, [MarshalAs(UnmanagedType.LPUTF8Str)] string newpath);
#pragma warning restore IDE1006, CA1707, SYSLIB1054, CA2101
}

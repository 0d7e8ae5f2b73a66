using System.Runtime.InteropServices;

namespace Whetstone.Compression.Pruning;

/// <summary>
/// CPU time of the calling thread (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>). With one compute thread TorchSharp runs the
/// forward pass on the calling thread, so this is the work the pass took, untouched by time spent waiting for a busy
/// machine's cores; null where the clock is not available.
/// </summary>
internal static class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;
    private static bool _unavailable = !OperatingSystem.IsLinux();

    /// <summary>The thread's CPU time so far in milliseconds, or null.</summary>
    public static double? NowMs()
    {
        if (_unavailable)
        {
            return null;
        }
        try
        {
            return clock_gettime(ClockThreadCpuTimeId, out var time) == 0 ? time.Seconds * 1000.0 + time.Nanoseconds / 1e6 : null;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            _unavailable = true;
            return null;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

#pragma warning disable IDE1006, CA1707, SYSLIB1054 // the C function's own name; a plain DllImport needs no unsafe code
    [DllImport("libc")]
    private static extern int clock_gettime(int clockId, out TimeSpec time);
#pragma warning restore IDE1006, CA1707, SYSLIB1054
}

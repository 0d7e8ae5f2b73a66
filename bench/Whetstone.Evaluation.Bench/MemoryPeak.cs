namespace Whetstone.Evaluation.Bench;

/// <summary>
/// Peak memory while something runs: the managed heap sampled every 20 ms (GC.GetTotalMemory without collecting),
/// and the process's resident set high-water mark (VmHWM from /proc/self/status, which the kernel keeps; it covers
/// the whole process life, so the bench runs the contamination check before loading any model).
/// </summary>
internal sealed class MemoryPeak : IDisposable
{
    private readonly Timer _timer;
    private long _managed;

    public MemoryPeak()
    {
        _managed = GC.GetTotalMemory(false);
        _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(20));
    }

    /// <summary>The highest managed heap size seen so far, in bytes.</summary>
    public long ManagedBytes
    {
        get
        {
            Sample();
            return Interlocked.Read(ref _managed);
        }
    }

    /// <summary>The process's resident set high-water mark in bytes (0 where /proc is missing).</summary>
    public static long ProcessPeakRssBytes() => StatusKilobytes("VmHWM:") * 1024;

    /// <summary>The process's resident set now, in bytes.</summary>
    public static long ProcessRssBytes() => StatusKilobytes("VmRSS:") * 1024;

    public void Dispose() => _timer.Dispose();

    private void Sample()
    {
        var now = GC.GetTotalMemory(false);
        long seen;
        while (now > (seen = Interlocked.Read(ref _managed)) && Interlocked.CompareExchange(ref _managed, now, seen) != seen)
        {
        }
    }

    private static long StatusKilobytes(string key)
    {
        if (!File.Exists("/proc/self/status"))
        {
            return 0;
        }

        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line[key.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}

using System.Diagnostics;

namespace Whetstone.Measurement;

/// <summary>Pins the process to its first allowed CPU until disposed, then restores the previous affinity.</summary>
internal sealed class CpuPin : IDisposable
{
    private readonly nint _previous;

    private CpuPin(nint previous) => this._previous = previous;

    public static CpuPin? ToFirstCpu()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsWindows())
        {
            return null;
        }
        using var process = Process.GetCurrentProcess();
        var mask = process.ProcessorAffinity;
        var first = mask & -mask;
        process.ProcessorAffinity = first;
        return new CpuPin(mask);
    }

    public void Dispose()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsWindows())
        {
            using var process = Process.GetCurrentProcess();
            process.ProcessorAffinity = _previous;
        }
    }
}

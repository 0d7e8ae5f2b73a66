using System.Globalization;

namespace Whetstone.Bench;

/// <summary>
/// What every benchmark prints next to its figures: the CPU model, the instruction sets that decide kernel speed,
/// the core count and the load average, since the machines these run on are shared and noisy. Linked into each
/// benchmark project as a source file (the benchmarks share no library).
/// </summary>
internal static class MachineDescription
{
    private static readonly string[] InterestingFlags =
        ["avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "amx_tile", "amx_bf16", "sha_ni", "vaes"];

    /// <summary>"AMD EPYC, 2 cores, avx avx2 fma …".</summary>
    public static string Cpu()
    {
        var lines = File.Exists("/proc/cpuinfo") ? File.ReadAllLines("/proc/cpuinfo") : [];
        var model = ValueOf(lines, "model name") ?? "unknown CPU";
        var flags = (ValueOf(lines, "flags") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var present = InterestingFlags.Where(flags.Contains);
        return string.Create(CultureInfo.InvariantCulture, $"{model}, {Environment.ProcessorCount} cores, {string.Join(' ', present)}");
    }

    /// <summary>The 1, 5 and 15 minute load averages, "unknown" where /proc is missing.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string? ValueOf(string[] lines, string key) =>
        lines.Where(l => l.StartsWith(key, StringComparison.Ordinal)).Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()).FirstOrDefault();
}

using System.Globalization;

namespace Whetstone.Measurement;

/// <summary>The machine a figure was measured on; every result carries one.</summary>
/// <param name="CpuModel">"model name" from /proc/cpuinfo, or the OS description elsewhere.</param>
/// <param name="Avx2">The CPU has AVX2.</param>
/// <param name="Avx512F">The CPU has AVX-512 Foundation.</param>
/// <param name="Avx512Vnni">The CPU has AVX-512 VNNI (int8 dot products).</param>
/// <param name="Amx">The CPU has AMX tiles (amx_tile, with amx_int8 / amx_bf16).</param>
/// <param name="LogicalCores">Logical processors the process may use.</param>
/// <param name="Threads">Threads the measured runtime was told to use.</param>
/// <param name="LoadAverage">1-, 5- and 15-minute load averages from /proc/loadavg when the figures were taken (empty elsewhere).</param>
public sealed record MachineFacts(string CpuModel, bool Avx2, bool Avx512F, bool Avx512Vnni, bool Amx, int LogicalCores, int Threads, IReadOnlyList<double> LoadAverage)
{
    /// <summary>Reads /proc/cpuinfo and /proc/loadavg when they exist.</summary>
    public static MachineFacts Read(int threads)
    {
        var cpuinfo = File.Exists("/proc/cpuinfo") ? File.ReadAllText("/proc/cpuinfo") : "";
        var loadavg = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg") : "";
        var facts = Parse(cpuinfo, loadavg, Environment.ProcessorCount, threads);
        return facts.CpuModel.Length > 0 ? facts : facts with { CpuModel = System.Runtime.InteropServices.RuntimeInformation.OSDescription };
    }

    /// <summary>Builds the facts from the text of /proc/cpuinfo and /proc/loadavg (first processor's fields).</summary>
    public static MachineFacts Parse(string cpuinfo, string loadavg, int logicalCores, int threads)
    {
        ArgumentNullException.ThrowIfNull(cpuinfo);
        ArgumentNullException.ThrowIfNull(loadavg);
        string? model = null;
        string? flags = null;
        foreach (var line in cpuinfo.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }
            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (model is null && key == "model name")
            {
                model = value;
            }
            else if (flags is null && key is "flags" or "Features")
            {
                flags = value;
            }
        }
        var set = (flags ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var load = loadavg.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(3)
            .Select(v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)).ToList();
        return new MachineFacts(model ?? "", set.Contains("avx2"), set.Contains("avx512f"), set.Contains("avx512_vnni"), set.Contains("amx_tile"),
            logicalCores, threads, load);
    }

    /// <summary>One line for humans: model, flags, cores, threads, load.</summary>
    public string Describe()
    {
        var flags = new[] { (Avx2, "AVX2"), (Avx512F, "AVX-512F"), (Avx512Vnni, "AVX-512 VNNI"), (Amx, "AMX") }
            .Select(f => (f.Item1 ? "+" : "-") + f.Item2);
        var load = LoadAverage.Count == 0 ? "n/a" : string.Join(" ", LoadAverage.Select(l => l.ToString("F2", CultureInfo.InvariantCulture)));
        return string.Create(CultureInfo.InvariantCulture, $"{CpuModel}; {string.Join(" ", flags)}; {LogicalCores} logical cores, {Threads} threads; load average {load}");
    }
}

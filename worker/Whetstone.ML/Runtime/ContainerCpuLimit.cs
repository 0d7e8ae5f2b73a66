using System.Globalization;

namespace Whetstone.ML.Runtime;

/// <summary>
/// How many CPU cores this process may use: the container's CPU quota (cgroup v2 <c>cpu.max</c>,
/// or cgroup v1 <c>cpu.cfs_quota_us</c>/<c>cpu.cfs_period_us</c>) rounded up, else
/// <see cref="Environment.ProcessorCount"/>. Torch defaults to one thread per host core, which in a
/// container limited to fewer cores makes its threads fight over the quota and run slower.
/// </summary>
public static class ContainerCpuLimit
{
    private const string CgroupV2CpuMax = "/sys/fs/cgroup/cpu.max";
    private const string CgroupV1Quota = "/sys/fs/cgroup/cpu/cpu.cfs_quota_us";
    private const string CgroupV1Period = "/sys/fs/cgroup/cpu/cpu.cfs_period_us";

    /// <summary>The number of cores to use on this machine, at least 1.</summary>
    public static int DetectCores()
    {
        var hostCores = Environment.ProcessorCount;
        var limit = ReadCgroupV2() ?? ReadCgroupV1();
        return limit is { } cores ? Math.Clamp(cores, 1, hostCores) : hostCores;
    }

    /// <summary>Cores allowed by a cgroup v2 <c>cpu.max</c> line ("quota period" or "max period"); null when unlimited.</summary>
    public static int? ParseCgroupV2CpuMax(string cpuMax)
    {
        ArgumentNullException.ThrowIfNull(cpuMax);
        var parts = cpuMax.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || parts[0] == "max")
        {
            return null;
        }
        return CoresFromQuota(parts[0], parts[1]);
    }

    /// <summary>Cores allowed by cgroup v1 quota and period values; null when the quota is -1 (unlimited).</summary>
    public static int? ParseCgroupV1(string quota, string period) => CoresFromQuota(quota.Trim(), period.Trim());

    private static int? CoresFromQuota(string quota, string period)
    {
        if (!long.TryParse(quota, NumberStyles.Integer, CultureInfo.InvariantCulture, out var q) || q <= 0
            || !long.TryParse(period, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) || p <= 0)
        {
            return null;
        }
        return (int)Math.Max(1, (q + p - 1) / p);
    }

    private static int? ReadCgroupV2() =>
        File.Exists(CgroupV2CpuMax) ? ParseCgroupV2CpuMax(File.ReadAllText(CgroupV2CpuMax)) : null;

    private static int? ReadCgroupV1() =>
        File.Exists(CgroupV1Quota) && File.Exists(CgroupV1Period)
            ? ParseCgroupV1(File.ReadAllText(CgroupV1Quota), File.ReadAllText(CgroupV1Period))
            : null;
}

using Whetstone.ML.Runtime;

namespace Whetstone.ML.Tests.Runtime;

public sealed class ContainerCpuLimitTest
{
    [Theory]
    [InlineData("200000 100000", 2)]
    [InlineData("150000 100000\n", 2)]
    [InlineData("50000 100000", 1)]
    public void Cgroup_v2_quota_is_rounded_up_to_whole_cores(string cpuMax, int expected)
    {
        Assert.Equal(expected, ContainerCpuLimit.ParseCgroupV2CpuMax(cpuMax));
    }

    [Fact]
    public void Cgroup_v2_max_means_no_limit()
    {
        Assert.Null(ContainerCpuLimit.ParseCgroupV2CpuMax("max 100000"));
    }

    [Fact]
    public void Cgroup_v1_minus_one_quota_means_no_limit()
    {
        Assert.Null(ContainerCpuLimit.ParseCgroupV1("-1", "100000"));
        Assert.Equal(3, ContainerCpuLimit.ParseCgroupV1("300000\n", "100000\n"));
    }
}

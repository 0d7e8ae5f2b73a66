using Whetstone.LocalCluster.Node;

namespace Whetstone.LocalCluster.Tests.Node;

public sealed class LocalNodeOptionsValidationTest
{
    [Fact]
    public void Default_options_are_valid()
    {
        Assert.Empty(LocalNodeOptionsValidation.Validate(new LocalNodeOptions()));
    }

    [Fact]
    public void Each_problem_names_its_field()
    {
        var options = new LocalNodeOptions
        {
            Cpu = "lots",
            GpuSlots = -1,
            Taints = [new LocalNodeTaint { Key = "gpu", Effect = "Sometimes" }],
            Images = new() { ["worker"] = new ImageCommand() },
        };

        var problems = LocalNodeOptionsValidation.Validate(options);

        Assert.Contains(problems, p => p.StartsWith("Cpu: \"lots\" is not a Kubernetes quantity", StringComparison.Ordinal));
        Assert.Contains("GpuSlots: must be zero or more, got -1", problems);
        Assert.Contains(problems, p => p.StartsWith("Taints[0].Effect", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Images[worker].FileName", StringComparison.Ordinal));
    }

    [Fact]
    public void Gpu_slots_are_advertised_under_the_configured_resource_name_only_when_there_are_some()
    {
        Assert.DoesNotContain("nvidia.com/gpu", NodeObject.CalculateCapacity(new LocalNodeOptions()).Keys);
        var capacity = NodeObject.CalculateCapacity(new LocalNodeOptions { GpuSlots = 2, GpuResourceName = "amd.com/gpu" });
        Assert.Equal(2m, capacity["amd.com/gpu"].ToDecimal());
    }
}

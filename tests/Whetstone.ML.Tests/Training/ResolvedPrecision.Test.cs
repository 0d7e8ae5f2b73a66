using TorchSharp;
using Whetstone.ML.Training;
using static TorchSharp.torch;

namespace Whetstone.ML.Tests.Training;

public sealed class ResolvedPrecisionTest
{
    [Theory]
    [InlineData(TrainingPrecision.Bf16)]
    [InlineData(TrainingPrecision.Fp16)]
    public void Low_precision_on_the_cpu_falls_back_to_fp32_and_says_why(TrainingPrecision requested)
    {
        var resolved = ResolvedPrecision.Resolve(requested, DeviceType.CPU);
        Assert.Equal(TrainingPrecision.Fp32, resolved.Effective);
        Assert.Null(resolved.ComputeDtype);
        Assert.False(resolved.UsesLossScaling);
        Assert.Contains("precision fp32", resolved.Description, StringComparison.Ordinal);
        Assert.Contains("applies on CUDA only", resolved.Description, StringComparison.Ordinal);
        Assert.Contains("CPU", resolved.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TrainingPrecision.Bf16, ScalarType.BFloat16, false)]
    [InlineData(TrainingPrecision.Fp16, ScalarType.Float16, true)]
    public void Low_precision_applies_on_cuda_and_on_the_cpu_when_allowed(TrainingPrecision requested, ScalarType computeDtype, bool scalesLoss)
    {
        foreach (var resolved in new[] { ResolvedPrecision.Resolve(requested, DeviceType.CUDA), ResolvedPrecision.Resolve(requested, DeviceType.CPU, allowLowPrecisionOnCpu: true) })
        {
            Assert.Equal(requested, resolved.Effective);
            Assert.Equal(computeDtype, resolved.ComputeDtype);
            Assert.Equal(scalesLoss, resolved.UsesLossScaling);
            Assert.Contains("mixed", resolved.Description, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Fp32_is_fp32_everywhere()
    {
        var resolved = ResolvedPrecision.Resolve(TrainingPrecision.Fp32, DeviceType.CUDA);
        Assert.Equal(TrainingPrecision.Fp32, resolved.Effective);
        Assert.Equal("precision fp32", resolved.Description);
    }
}

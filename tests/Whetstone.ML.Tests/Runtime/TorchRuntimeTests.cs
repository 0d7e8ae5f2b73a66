using TorchSharp;
using Whetstone.ML.Runtime;
using static TorchSharp.torch;

namespace Whetstone.ML.Tests.Runtime;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void Native_library_loads_and_autograd_computes_the_gradient_of_a_cube()
    {
        using var x = tensor(new[] { 2.0f, -3.0f }, requires_grad: true);
        using var y = (x * x * x).sum();
        y.backward();

        // d/dx sum(x^3) = 3x^2
        Assert.Equal(new[] { 12.0f, 27.0f }, x.grad!.data<float>().ToArray());
    }

    [Fact]
    public void Cpu_is_selected_when_asked_for()
    {
        Assert.Equal(DeviceType.CPU, TorchRuntime.SelectDevice("cpu").type);
    }

    [Fact]
    public void Automatic_selection_picks_cuda_only_when_torch_sees_a_gpu()
    {
        var expected = cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU;
        Assert.Equal(expected, TorchRuntime.SelectDevice().type);
    }

    [Fact]
    public void Thread_count_follows_the_detected_core_count()
    {
        var expected = Environment.GetEnvironmentVariable(TorchRuntime.ThreadsVariable) is { Length: > 0 } set ? int.Parse(set, System.Globalization.CultureInfo.InvariantCulture) : ContainerCpuLimit.DetectCores();
        Assert.Equal(expected, TorchRuntime.ConfigureThreads());
    }
}

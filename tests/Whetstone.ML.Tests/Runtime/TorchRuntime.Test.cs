using TorchSharp;
using Whetstone.ML.Runtime;
using static TorchSharp.torch;

namespace Whetstone.ML.Tests.Runtime;

public sealed class TorchRuntimeTest
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
    public void Asking_for_cuda_on_a_machine_without_a_gpu_is_an_error_and_automatic_selection_falls_back_to_the_cpu()
    {
        if (cuda.is_available())
        {
            // A GPU machine: both ways give CUDA.
            Assert.Equal(DeviceType.CUDA, TorchRuntime.SelectDevice("cuda").type);
            Assert.Equal(DeviceType.CUDA, TorchRuntime.SelectDevice().type);
            return;
        }

        var error = Assert.ThrowsAny<Exception>(() => TorchRuntime.SelectDevice("cuda"));
        Assert.Contains("CUDA", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(DeviceType.CPU, TorchRuntime.SelectDevice().type);
        Assert.Equal(DeviceType.CPU, TorchRuntime.SelectDevice("auto").type);
    }

    [Fact]
    public void Torch_computes_with_the_thread_count_the_runtime_configured()
    {
        var configured = TorchRuntime.ConfigureThreads();

        Assert.True(configured >= 1);
        Assert.Equal(configured, get_num_threads());
    }
}

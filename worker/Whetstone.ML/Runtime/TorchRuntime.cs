using TorchSharp;

namespace Whetstone.ML.Runtime;

/// <summary>Chooses where tensors live and how many threads torch uses, once per process.</summary>
public static class TorchRuntime
{
    private static readonly Lock ThreadsLock = new();
    private static bool _threadsConfigured;

    /// <summary>
    /// The device to compute on: <paramref name="requested"/> "cpu" or "cuda" (or "cuda:N") when given,
    /// otherwise CUDA when torch sees a GPU, else the CPU. Asking for CUDA where there is none is an error.
    /// </summary>
    public static torch.Device SelectDevice(string? requested = null)
    {
        if (string.IsNullOrWhiteSpace(requested) || requested.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        }
        var device = new torch.Device(requested);
        if (device.type == DeviceType.CUDA && !torch.cuda.is_available())
        {
            throw new InvalidOperationException($"device '{requested}' was asked for, but no CUDA device is available to torch here");
        }
        return device;
    }

    /// <summary>Environment variable that overrides the detected thread count (a positive integer).</summary>
    public const string ThreadsVariable = "WHETSTONE_TORCH_THREADS";

    /// <summary>
    /// Sets torch's intra-op thread count to the container's CPU limit (see <see cref="ContainerCpuLimit"/>),
    /// or to <see cref="ThreadsVariable"/> when set; runs once per process, later calls do nothing.
    /// Returns the thread count in effect.
    /// </summary>
    public static int ConfigureThreads()
    {
        lock (ThreadsLock)
        {
            if (!_threadsConfigured)
            {
                torch.set_num_threads(RequestedThreads() ?? ContainerCpuLimit.DetectCores());
                _threadsConfigured = true;
            }
            return torch.get_num_threads();
        }
    }

    private static int? RequestedThreads()
    {
        var value = Environment.GetEnvironmentVariable(ThreadsVariable);
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        return int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var threads) && threads > 0
            ? threads
            : throw new InvalidOperationException($"{ThreadsVariable} must be a positive integer, got '{value}'");
    }
}

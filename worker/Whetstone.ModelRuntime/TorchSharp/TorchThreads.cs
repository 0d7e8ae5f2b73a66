using TorchSharp;

namespace Whetstone.ModelRuntime.TorchSharp;

/// <summary>
/// Holds a runner's intra-op thread count on the thread that calls it. LibTorch keeps the OpenMP thread count per
/// thread: a count set while loading does not reach another thread (a server's batching thread), which would run
/// parallel regions on every core and, on a busy machine, spend most of a batch waiting in OpenMP barriers
/// (measured: a digits batch of 17 rows took 60 ms on such a thread and under 5 ms with the count applied).
/// </summary>
internal static class TorchThreads
{
    public static void Apply(int threads)
    {
        if (torch.get_num_threads() != threads)
        {
            torch.set_num_threads(threads);
        }
    }
}

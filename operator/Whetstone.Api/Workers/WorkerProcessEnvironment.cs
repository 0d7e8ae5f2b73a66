namespace Whetstone.Api.Workers;

/// <summary>
/// Environment the worker image brings (Dockerfile.worker's <c>ENV</c>, and the embedded node's stand-in for the
/// image), read by the C library when the process starts, so it cannot be set from inside the worker.
/// </summary>
public static class WorkerProcessEnvironment
{
    /// <summary>The variable glibc reads its tunables from.</summary>
    public const string GlibcTunablesVariable = "GLIBC_TUNABLES";

    /// <summary>
    /// Fixed malloc thresholds: blocks up to 32 MiB come from the heap and up to 128 MiB of freed heap is kept. glibc's
    /// default adapts both as blocks come and go, and the tensors of each decoding step or optimizer update then go to
    /// fresh pages again and again. Every fresh page is a fault, and in the virtual machines measured here a fault is
    /// expensive. A batched generate of 16 rows took 15–40 ms in four runs without these settings and 10–17 ms in four
    /// runs with them (bench/Whetstone.ModelRuntime.Bench --per-row, the demo model). The cost is at most 128 MiB of freed
    /// memory that the process keeps.
    /// </summary>
    public const string GlibcTunables = "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=134217728";
}

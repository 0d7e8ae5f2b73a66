namespace Whetstone.Artifacts.Tests;

/// <summary>An <see cref="IProgress{T}"/> that reports on the caller's thread, so tests see every report in order.</summary>
public sealed class SynchronousProgress(Action<long> report) : IProgress<long>
{
    public void Report(long value) => report(value);
}

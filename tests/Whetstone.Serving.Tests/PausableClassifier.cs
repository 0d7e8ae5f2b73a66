using Whetstone.ModelRuntime;

namespace Whetstone.Serving.Tests;

/// <summary>
/// A real classifier whose batches wait for <see cref="Resume"/> while paused, so a test can hold the model busy and
/// fill the queue or pass a deadline deterministically. Scores are the wrapped model's.
/// </summary>
internal sealed class PausableClassifier(IClassifierRunner inner) : IClassifierRunner
{
    private readonly ManualResetEventSlim _running = new(true);
    private int _batches;

    public ModelDescription Description => inner.Description;

    public IReadOnlyList<string> Labels => inner.Labels;

    public int InputSize => inner.InputSize;

    /// <summary>Batches that have started (warm-up included).</summary>
    public int Batches => Volatile.Read(ref _batches);

    public void Pause() => _running.Reset();

    public void Resume() => _running.Set();

    public IReadOnlyList<float[]> Score(IReadOnlyList<float[]> inputs, int batchSize = 64, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _batches);
        _running.Wait(TimeSpan.FromSeconds(20), cancellationToken);
        return inner.Score(inputs, batchSize, cancellationToken);
    }

    public void Dispose()
    {
        _running.Set();
        inner.Dispose();
        _running.Dispose();
    }
}

using Whetstone.ModelRuntime;
using Whetstone.Serving.Batching;

namespace Whetstone.Serving.Inference;

/// <summary>A classifier behind a <see cref="DynamicBatcher{TItem, TResult}"/>: one feature vector per request.</summary>
internal sealed class ClassifierService : IServedModel
{
    private readonly IClassifierRunner _runner;
    private readonly DynamicBatcher<float[], float[]> _batcher;

    public ClassifierService(IClassifierRunner runner, BatchingOptions options, IBatchObserver? observer)
    {
        this._runner = runner;
        _batcher = new DynamicBatcher<float[], float[]>(options, (inputs, ct) => runner.Score(inputs, inputs.Count, ct), observer: observer);
    }

    public ModelDescription Description => _runner.Description;

    public IReadOnlyList<string> Labels => _runner.Labels;

    public int InputSize => _runner.InputSize;

    public int QueueDepth => _batcher.QueueDepth;

    /// <summary>Scores one feature vector in whatever batch it joins.</summary>
    public Task<BatchedResult<float[]>> ScoreAsync(float[] features, CancellationToken cancellationToken) =>
        _batcher.SubmitAsync(features, cancellationToken);

    public Task WarmUpAsync(CancellationToken cancellationToken) => ScoreAsync(new float[InputSize], cancellationToken);

    public void Dispose()
    {
        _batcher.Dispose();
        _runner.Dispose();
    }
}

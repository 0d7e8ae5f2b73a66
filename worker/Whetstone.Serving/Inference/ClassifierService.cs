using Whetstone.ModelRuntime;
using Whetstone.Serving.Batching;

namespace Whetstone.Serving.Inference;

/// <summary>A classifier behind a <see cref="DynamicBatcher{TItem, TResult}"/>: one feature vector per request.</summary>
internal sealed class ClassifierService : IServedModel
{
    private readonly IClassifierRunner runner;
    private readonly DynamicBatcher<float[], float[]> batcher;

    public ClassifierService(IClassifierRunner runner, BatchingOptions options, IBatchObserver? observer)
    {
        this.runner = runner;
        batcher = new DynamicBatcher<float[], float[]>(options, (inputs, ct) => runner.Score(inputs, inputs.Count, ct), observer: observer);
    }

    public ModelDescription Description => runner.Description;

    public IReadOnlyList<string> Labels => runner.Labels;

    public int InputSize => runner.InputSize;

    public int QueueDepth => batcher.QueueDepth;

    /// <summary>Scores one feature vector in whatever batch it joins.</summary>
    public Task<BatchedResult<float[]>> ScoreAsync(float[] features, CancellationToken cancellationToken) =>
        batcher.SubmitAsync(features, cancellationToken);

    public Task WarmUpAsync(CancellationToken cancellationToken) => ScoreAsync(new float[InputSize], cancellationToken);

    public void Dispose()
    {
        batcher.Dispose();
        runner.Dispose();
    }
}

namespace Whetstone.ModelRuntime;

/// <summary>
/// A classifier behind either backend: a feature vector in, one raw score (logit) per class out; the predicted
/// class is the arg-max (documented convention for ONNX classifiers: input <c>features</c> [batch, inputs] float32,
/// output <c>logits</c> [batch, classes] float32).
/// </summary>
public interface IClassifierRunner : IModelRunner
{
    /// <summary>Class names, index = class id.</summary>
    IReadOnlyList<string> Labels { get; }

    /// <summary>Length of the feature vector.</summary>
    int InputSize { get; }

    /// <summary>Logits per input, batched by at most <paramref name="batchSize"/>.</summary>
    IReadOnlyList<float[]> Score(IReadOnlyList<float[]> inputs, int batchSize = 64, CancellationToken cancellationToken = default);
}

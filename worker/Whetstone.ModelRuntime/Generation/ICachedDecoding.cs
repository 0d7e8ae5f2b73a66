namespace Whetstone.ModelRuntime.Generation;

/// <summary>One backend's key/value-cached decoding of a batch of sequences, driven by <see cref="GenerationLoop"/>.</summary>
public interface ICachedDecoding : IDisposable
{
    /// <summary>Runs the (left-padded) prompts and returns each row's next-token logits.</summary>
    float[][] Start(IReadOnlyList<IReadOnlyList<long>> prompts);

    /// <summary>
    /// Keeps only the rows at <paramref name="keptRows"/> (positions in the current batch, ascending), feeds each
    /// kept row its next token (<paramref name="tokens"/>, in the same order) and returns their next-token logits.
    /// </summary>
    float[][] Continue(IReadOnlyList<int> keptRows, IReadOnlyList<long> tokens);
}

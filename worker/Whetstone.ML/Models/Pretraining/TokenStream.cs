using static TorchSharp.torch;

namespace Whetstone.ML.Models.Pretraining;

/// <summary>Documents tokenized and joined into one stream, from which fixed-length training windows are cut.</summary>
public sealed class TokenStream(IReadOnlyList<int> tokens)
{
    /// <summary>Number of tokens.</summary>
    public int Count => tokens.Count;

    /// <summary>
    /// A batch of <paramref name="batchSize"/> windows of <paramref name="length"/> + 1 tokens starting at random
    /// offsets: inputs are the first <paramref name="length"/> tokens, targets the same shifted by one.
    /// </summary>
    public (Tensor Inputs, Tensor Targets) SampleBatch(Random random, int batchSize, int length, Device device)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (tokens.Count < length + 2)
        {
            throw new InvalidOperationException($"the token stream has {tokens.Count} tokens, too few for sequences of {length}");
        }
        var windows = new long[batchSize * (length + 1)];
        for (var row = 0; row < batchSize; row++)
        {
            var start = random.Next(tokens.Count - length - 1);
            for (var i = 0; i <= length; i++)
            {
                windows[row * (length + 1) + i] = tokens[start + i];
            }
        }
        using var all = tensor(windows, dtype: ScalarType.Int64).view(batchSize, length + 1);
        return (all.narrow(1, 0, length).to(device), all.narrow(1, 1, length).to(device));
    }
}

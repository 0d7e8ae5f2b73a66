namespace Whetstone.ML.Training;

/// <summary>
/// One tokenized example. <see cref="LossMask"/> marks the tokens whose prediction counts towards the loss
/// (the assistant / output tokens); prompt tokens are context only.
/// </summary>
/// <param name="InputIds">Token ids, at least two (there must be something to predict).</param>
/// <param name="LossMask">Same length as <paramref name="InputIds"/>: true where the token is a training target.</param>
public sealed record TrainingExample(int[] InputIds, bool[] LossMask)
{
    /// <summary>An example where every token after the first is a target (plain language modelling).</summary>
    public static TrainingExample AllTokens(int[] inputIds)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        return new TrainingExample(inputIds, [.. Enumerable.Repeat(true, inputIds.Length)]);
    }

    /// <summary>Throws a clear error naming the example when it cannot be trained on.</summary>
    public void Validate(int index)
    {
        if (InputIds is null || LossMask is null)
        {
            throw new ArgumentException($"Training example {index}: inputIds and lossMask are required.");
        }

        if (InputIds.Length != LossMask.Length)
        {
            throw new ArgumentException($"Training example {index}: lossMask has {LossMask.Length} entries but inputIds has {InputIds.Length}.");
        }

        if (InputIds.Length < 2)
        {
            throw new ArgumentException($"Training example {index}: needs at least 2 tokens, has {InputIds.Length}.");
        }

        if (InputIds.Any(id => id < 0))
        {
            throw new ArgumentException($"Training example {index}: token ids must not be negative.");
        }
    }
}

namespace Whetstone.ModelRuntime;

/// <summary>Natural-log probabilities of a continuation's tokens.</summary>
/// <param name="TokenLogProbabilities">One per continuation token, in order.</param>
public sealed record ContinuationScore(IReadOnlyList<float> TokenLogProbabilities)
{
    /// <summary>Sum of the token log-probabilities (the log-likelihood of the whole continuation).</summary>
    public double Sum => TokenLogProbabilities.Sum(p => (double)p);

    /// <summary>Sum divided by the token count (0 for an empty continuation): ranks answers of different lengths.</summary>
    public double Mean => TokenLogProbabilities.Count == 0 ? 0 : Sum / TokenLogProbabilities.Count;
}

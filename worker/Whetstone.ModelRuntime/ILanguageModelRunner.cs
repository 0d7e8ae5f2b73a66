using Whetstone.ML.Tokenization;

namespace Whetstone.ModelRuntime;

/// <summary>
/// A causal language model behind either backend. Token ids in, numbers out; the same ids give the same scores
/// and greedy tokens whichever backend runs them and whatever the batch size (to 1e-5 on scores).
/// </summary>
public interface ILanguageModelRunner : IModelRunner
{
    /// <summary>The model's tokenizer (<c>tokenizer.json</c> beside the weights).</summary>
    ChatTokenizer Tokenizer { get; }

    /// <summary>Vocabulary size (the logits' last dimension).</summary>
    int VocabularySize { get; }

    /// <summary>
    /// Logits of every position of every sequence, computed in batches of at most <paramref name="batchSize"/>
    /// rows (right-padded with an attention mask); result[i] is [sequences[i].Count, VocabularySize] row-major.
    /// </summary>
    IReadOnlyList<float[]> ComputeLogits(IReadOnlyList<IReadOnlyList<long>> sequences, int batchSize = 16, CancellationToken cancellationToken = default);

    /// <summary>
    /// Log-likelihood of each request's continuation given its context (the context already carries any
    /// beginning-of-sequence token), batched by at most <paramref name="batchSize"/> requests.
    /// </summary>
    IReadOnlyList<ContinuationScore> ScoreContinuations(IReadOnlyList<ContinuationRequest> requests, int batchSize = 16, CancellationToken cancellationToken = default);

    /// <summary>Continues each prompt with a key/value cache; sequences of one call share forward passes.</summary>
    IReadOnlyList<GenerationResult> Generate(IReadOnlyList<IReadOnlyList<long>> prompts, SamplingOptions options, CancellationToken cancellationToken = default);
}

using Microsoft.ML.OnnxRuntime;
using Whetstone.ML.Models;
using Whetstone.ML.Tokenization;
using Whetstone.ModelRuntime.Batching;
using Whetstone.ModelRuntime.Generation;
using Whetstone.Onnx;

namespace Whetstone.ModelRuntime.Onnx;

/// <summary>
/// A Llama model exported by <see cref="LlamaOnnxExporter"/> (<c>model.onnx</c>, <c>config.json</c>,
/// <c>tokenizer.json</c>) run by ONNX Runtime. Same padding rules as the TorchSharp runner; when the graph has
/// past key/value inputs, full forwards pass an empty past and generation reuses the presents.
/// </summary>
public sealed partial class OnnxLanguageModelRunner : IContinuousBatchingRunner
{
    private readonly InferenceSession _session;
    private readonly LlamaConfig _config;
    private readonly bool _hasPast;

    private OnnxLanguageModelRunner(InferenceSession session, LlamaConfig config, ChatTokenizer tokenizer, bool hasPast, ModelDescription description)
    {
        this._session = session;
        this._config = config;
        this._hasPast = hasPast;
        Tokenizer = tokenizer;
        Description = description;
    }

    /// <inheritdoc/>
    public ModelDescription Description { get; }

    /// <inheritdoc/>
    public ChatTokenizer Tokenizer { get; }

    /// <inheritdoc/>
    public int VocabularySize => _config.VocabSize;

    /// <summary>Opens the directory's graph, config and tokenizer.</summary>
    public static OnnxLanguageModelRunner Load(string directory, int threads)
    {
        var config = LlamaConfig.Load(Path.Combine(directory, LlamaCheckpoint.ConfigFileName));
        var tokenizer = ChatTokenizer.Load(directory);
        var (session, summary) = OnnxSessionFactory.Open(Path.Combine(directory, OnnxModelFiles.ModelFileName), threads);
        var hasPast = summary.Inputs.Contains("past_key_values.0.key");
        var description = new ModelDescription(
            Path.GetFullPath(directory), ModelKind.LanguageModel, RuntimeBackend.OnnxRuntime, "cpu", threads, summary.Parameters, summary.WeightBytes);
        return new OnnxLanguageModelRunner(session, config, tokenizer, hasPast, description);
    }

    /// <inheritdoc/>
    public IReadOnlyList<float[]> ComputeLogits(IReadOnlyList<IReadOnlyList<long>> sequences, int batchSize = 16, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var results = new List<float[]>(sequences.Count);
        foreach (var chunk in sequences.Chunk(batchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = TokenBatch.RightPadded(chunk, Tokenizer.PadId);
            using var empty = PastState.Empty(this, batch.Rows);
            using var pass = Forward(batch.Ids, batch.Mask, batch.Rows, batch.Width, empty);
            for (var row = 0; row < chunk.Length; row++)
            {
                results.Add(pass.Row(row, chunk[row].Count).ToArray());
            }
        }
        return results;
    }

    /// <inheritdoc/>
    public IReadOnlyList<ContinuationScore> ScoreContinuations(IReadOnlyList<ContinuationRequest> requests, int batchSize = 16, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (requests.Any(r => r.Context.Count == 0))
        {
            throw new ArgumentException("every context must hold at least one token (for example the beginning-of-sequence token)", nameof(requests));
        }
        var results = new List<ContinuationScore>(requests.Count);
        foreach (var chunk in requests.Chunk(batchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var inputs = chunk.Select(r => (IReadOnlyList<long>)r.Context.Concat(r.Continuation).SkipLast(1).ToArray()).ToArray();
            var batch = TokenBatch.RightPadded(inputs, Tokenizer.PadId);
            using var empty = PastState.Empty(this, batch.Rows);
            using var pass = Forward(batch.Ids, batch.Mask, batch.Rows, batch.Width, empty);
            for (var row = 0; row < chunk.Length; row++)
            {
                var scores = new float[chunk[row].Continuation.Count];
                for (var t = 0; t < scores.Length; t++)
                {
                    var position = chunk[row].Context.Count - 1 + t;
                    scores[t] = LogSoftmaxAt(pass.At(row, position), chunk[row].Continuation[t]);
                }
                results.Add(new ContinuationScore(scores));
            }
        }
        return results;
    }

    /// <inheritdoc/>
    public IReadOnlyList<GenerationResult> Generate(IReadOnlyList<IReadOnlyList<long>> prompts, SamplingOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.UseCache && !_hasPast)
        {
            throw new InvalidOperationException($"{Description.Directory}: the graph has no past key/value inputs; export it with them for cached generation, or set UseCache false");
        }
        return GenerationLoop.Run(prompts, options, Tokenizer, () => new CachedDecoding(this), UncachedLastLogits, cancellationToken);
    }

    /// <inheritdoc/>
    public bool SupportsAdmission => _hasPast;

    /// <inheritdoc/>
    public IAdmittingDecoding StartAdmittingDecoding() => _hasPast
        ? new CachedDecoding(this)
        : throw new NotSupportedException($"{Description.Directory}: the graph has no past key/value inputs, so sequences cannot join a running decode");

    /// <inheritdoc/>
    public void Dispose() => _session.Dispose();

    private float[][] UncachedLastLogits(IReadOnlyList<IReadOnlyList<long>> sequences)
    {
        var batch = TokenBatch.LeftPadded(sequences, Tokenizer.PadId);
        using var empty = PastState.Empty(this, batch.Rows);
        using var pass = Forward(batch.Ids, batch.Mask, batch.Rows, batch.Width, empty);
        return pass.LastColumn(batch.Rows);
    }

    private static float LogSoftmaxAt(ReadOnlySpan<float> logits, long target)
    {
        var max = double.NegativeInfinity;
        foreach (var value in logits)
        {
            max = Math.Max(max, value);
        }
        var sum = 0.0;
        foreach (var value in logits)
        {
            sum += Math.Exp(value - max);
        }
        return (float)(logits[(int)target] - max - Math.Log(sum));
    }
}

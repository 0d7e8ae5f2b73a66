using TorchSharp;
using Whetstone.ML.Models;
using Whetstone.ML.Tokenization;
using static TorchSharp.torch;

namespace Whetstone.ModelRuntime.TorchSharp;

/// <summary>
/// A Llama-layout model (<c>config.json</c>, <c>model.safetensors</c>, <c>tokenizer.json</c>) run by TorchSharp.
/// Batches are right-padded for logits and scoring and left-padded for generation, always with an attention mask
/// and positions that count real tokens only, so padding never changes a real position's numbers.
/// </summary>
public sealed partial class TorchLanguageModelRunner : IContinuousBatchingRunner
{
    private readonly LanguageModel _language;

    private TorchLanguageModelRunner(LanguageModel language, ModelDescription description)
    {
        this._language = language;
        Description = description;
    }

    /// <inheritdoc/>
    public ModelDescription Description { get; }

    /// <inheritdoc/>
    public ChatTokenizer Tokenizer => _language.Tokenizer;

    /// <inheritdoc/>
    public int VocabularySize => _language.Model.Config.VocabSize;

    private LlamaForCausalLM Model => _language.Model;

    /// <summary>Loads <paramref name="directory"/> on <paramref name="device"/> with <paramref name="threads"/> intra-op threads.</summary>
    public static TorchLanguageModelRunner Load(string directory, Device device, int threads)
    {
        var language = LanguageModel.Load(directory, device);
        language.Model.eval();
        var parameters = language.Model.parameters().Sum(p => p.numel());
        var weightBytes = new FileInfo(Path.Combine(directory, LlamaCheckpoint.WeightsFileName)).Length;
        var description = new ModelDescription(
            Path.GetFullPath(directory), ModelKind.LanguageModel, RuntimeBackend.TorchSharp, device.ToString(), threads, parameters, weightBytes);
        return new TorchLanguageModelRunner(language, description);
    }

    /// <inheritdoc/>
    public IReadOnlyList<float[]> ComputeLogits(IReadOnlyList<IReadOnlyList<long>> sequences, int batchSize = 16, CancellationToken cancellationToken = default)
    {
        TorchThreads.Apply(Description.Threads);
        ArgumentNullException.ThrowIfNull(sequences);
        var results = new List<float[]>(sequences.Count);
        foreach (var chunk in sequences.Chunk(CheckBatchSize(batchSize)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var (ids, mask) = PaddedBatch.RightPadded(chunk, Tokenizer.PadId, Model.Device);
            var logits = Model.Forward(ids, mask).to(ScalarType.Float32).cpu();
            for (var row = 0; row < chunk.Length; row++)
            {
                results.Add(chunk[row].Count == 0 ? [] : logits[row].narrow(0, 0, chunk[row].Count).contiguous().data<float>().ToArray());
            }
        }
        return results;
    }

    /// <inheritdoc/>
    public IReadOnlyList<ContinuationScore> ScoreContinuations(IReadOnlyList<ContinuationRequest> requests, int batchSize = 16, CancellationToken cancellationToken = default)
    {
        TorchThreads.Apply(Description.Threads);
        ArgumentNullException.ThrowIfNull(requests);
        foreach (var request in requests)
        {
            if (request.Context.Count == 0)
            {
                throw new ArgumentException("every context must hold at least one token (for example the beginning-of-sequence token)", nameof(requests));
            }
        }
        var results = new List<ContinuationScore>(requests.Count);
        foreach (var chunk in requests.Chunk(CheckBatchSize(batchSize)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            results.AddRange(ScoreChunk(chunk));
        }
        return results;
    }

    /// <inheritdoc/>
    public void Dispose() => _language.Dispose();

    private ContinuationScore[] ScoreChunk(ContinuationRequest[] chunk)
    {
        // Each row reads context + continuation minus its last token; the prediction at position i scores token i + 1.
        var inputs = chunk.Select(r => (IReadOnlyList<long>)r.Context.Concat(r.Continuation).SkipLast(1).ToArray()).ToArray();
        var targets = chunk.Select(r => (IReadOnlyList<long>)r.Context.Skip(1).Concat(r.Continuation).ToArray()).ToArray();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var (ids, mask) = PaddedBatch.RightPadded(inputs, Tokenizer.PadId, Model.Device);
        var (targetIds, _) = PaddedBatch.RightPadded(targets, 0, Model.Device);
        var logProbabilities = nn.functional.log_softmax(Model.Forward(ids, mask).to(ScalarType.Float32), -1);
        var picked = logProbabilities.gather(2, targetIds.unsqueeze(2)).squeeze(2).cpu();
        var width = picked.shape[1];
        var values = picked.contiguous().data<float>().ToArray();
        var scores = new ContinuationScore[chunk.Length];
        for (var row = 0; row < chunk.Length; row++)
        {
            var start = row * width + chunk[row].Context.Count - 1;
            scores[row] = new ContinuationScore(values.AsSpan((int)start, chunk[row].Continuation.Count).ToArray());
        }
        return scores;
    }

    private static int CheckBatchSize(int batchSize) =>
        batchSize > 0 ? batchSize : throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "the batch size must be positive");
}

using TorchSharp;
using static TorchSharp.torch;

namespace Whetstone.ML.Models;

/// <summary>Generation and scoring at the level of token ids.</summary>
public sealed partial class LlamaForCausalLM
{
    /// <summary>
    /// Continues <paramref name="promptIds"/> token by token with a key/value cache and returns only the new
    /// tokens (ending with a stop token when one was produced).
    /// </summary>
    public long[] Generate(IReadOnlyList<long> promptIds, GenerationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(promptIds);
        ArgumentNullException.ThrowIfNull(options);
        if (promptIds.Count == 0)
        {
            throw new ArgumentException("the prompt must hold at least one token (for example the beginning-of-sequence token)", nameof(promptIds));
        }
        using var noGrad = no_grad();
        using var cache = CreateCache();
        using var sampler = options.Temperature > 0 ? new Generator(options.Seed, Device) : null;
        var produced = new List<long>();
        var next = promptIds.ToArray();
        while (produced.Count < options.MaxNewTokens)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            using var input = tensor(next, dtype: ScalarType.Int64, device: Device).unsqueeze(0);
            var last = ForwardLast(input, cache: cache)[0];
            var token = options.Temperature > 0 ? Sample(last, options, sampler!) : last.argmax().item<long>();
            produced.Add(token);
            if (options.StopTokenIds?.Contains(token) == true)
            {
                break;
            }
            next = [token];
        }
        return [.. produced];
    }

    /// <summary>
    /// Natural-log probability of each token of <paramref name="continuationIds"/> given the tokens before it
    /// (<paramref name="contextIds"/>, then the earlier continuation tokens). Their sum scores a multiple-choice answer.
    /// </summary>
    public float[] ScoreContinuation(IReadOnlyList<long> contextIds, IReadOnlyList<long> continuationIds)
    {
        ArgumentNullException.ThrowIfNull(contextIds);
        ArgumentNullException.ThrowIfNull(continuationIds);
        if (contextIds.Count == 0)
        {
            throw new ArgumentException("the context must hold at least one token (for example the beginning-of-sequence token)", nameof(contextIds));
        }
        if (continuationIds.Count == 0)
        {
            return [];
        }
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var sequence = contextIds.Concat(continuationIds).ToArray();
        var input = tensor(sequence[..^1], dtype: ScalarType.Int64, device: Device).unsqueeze(0);
        var logits = Forward(input)[0];
        var predicting = logits.narrow(0, contextIds.Count - 1, continuationIds.Count);
        var logProbabilities = nn.functional.log_softmax(predicting.to(ScalarType.Float32), -1);
        var targets = tensor(continuationIds.ToArray(), dtype: ScalarType.Int64, device: Device).unsqueeze(1);
        return logProbabilities.gather(1, targets).squeeze(1).cpu().data<float>().ToArray();
    }

    /// <summary>
    /// <see cref="ScoreContinuation"/> for several continuations of one context in a single batched forward pass
    /// (right-padded); returns one array of per-token log probabilities per continuation, in order.
    /// </summary>
    public float[][] ScoreContinuations(IReadOnlyList<long> contextIds, IReadOnlyList<IReadOnlyList<long>> continuations, long padTokenId = 0)
    {
        ArgumentNullException.ThrowIfNull(contextIds);
        ArgumentNullException.ThrowIfNull(continuations);
        if (contextIds.Count == 0)
        {
            throw new ArgumentException("the context must hold at least one token (for example the beginning-of-sequence token)", nameof(contextIds));
        }
        if (continuations.Count == 0)
        {
            return [];
        }
        var width = contextIds.Count + continuations.Max(c => c.Count) - 1;
        if (width < contextIds.Count)
        {
            return [.. continuations.Select(_ => Array.Empty<float>())];
        }
        var ids = new long[continuations.Count * width];
        var mask = new long[continuations.Count * width];
        for (var row = 0; row < continuations.Count; row++)
        {
            var sequence = contextIds.Concat(continuations[row]).ToArray();
            for (var i = 0; i < width; i++)
            {
                var real = i < sequence.Length - 1;
                ids[row * width + i] = real ? sequence[i] : padTokenId;
                mask[row * width + i] = real ? 1 : 0;
            }
        }
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var logits = Forward(
            tensor(ids, dtype: ScalarType.Int64, device: Device).view(continuations.Count, width),
            tensor(mask, dtype: ScalarType.Int64, device: Device).view(continuations.Count, width));
        var logProbabilities = nn.functional.log_softmax(logits.to(ScalarType.Float32), -1).cpu();
        var scores = new float[continuations.Count][];
        for (var row = 0; row < continuations.Count; row++)
        {
            var continuation = continuations[row];
            scores[row] = new float[continuation.Count];
            for (var i = 0; i < continuation.Count; i++)
            {
                scores[row][i] = logProbabilities[row, contextIds.Count - 1 + i, continuation[i]].item<float>();
            }
        }
        return scores;
    }

    private static long Sample(Tensor logits, GenerationOptions options, Generator sampler)
    {
        var scaled = logits.to(ScalarType.Float32) / options.Temperature;
        if (options.TopK > 0 && options.TopK < scaled.shape[0])
        {
            var (values, _) = scaled.topk(options.TopK);
            var threshold = values[-1];
            scaled = scaled.masked_fill(scaled.lt(threshold), double.NegativeInfinity);
        }
        var probabilities = nn.functional.softmax(scaled, -1);
        return multinomial(probabilities, 1, generator: sampler).item<long>();
    }
}

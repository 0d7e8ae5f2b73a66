using System.Diagnostics;
using Whetstone.ML.Tokenization;
using Whetstone.ModelRuntime.Sampling;

namespace Whetstone.ModelRuntime.Generation;

/// <summary>
/// The decoding loop both backends share: the prompts of one call decode together, each row picks its token with
/// its own seeded <see cref="TokenSampler"/>, finished rows leave the batch. Backends only compute logits.
/// </summary>
public static class GenerationLoop
{
    /// <summary>Generates for every prompt, with the cache (<paramref name="startCached"/>) or by recomputing (<paramref name="lastLogits"/>).</summary>
    public static IReadOnlyList<GenerationResult> Run(
        IReadOnlyList<IReadOnlyList<long>> prompts,
        SamplingOptions options,
        ChatTokenizer tokenizer,
        Func<ICachedDecoding> startCached,
        Func<IReadOnlyList<IReadOnlyList<long>>, float[][]> lastLogits,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(startCached);
        ArgumentNullException.ThrowIfNull(lastLogits);
        if (prompts.Any(p => p.Count == 0))
        {
            throw new ArgumentException("every prompt must hold at least one token (for example the beginning-of-sequence token)", nameof(prompts));
        }
        var clock = Stopwatch.StartNew();
        var decoders = prompts.Select(_ => new SequenceDecoder(tokenizer, options)).ToArray();
        var samplers = prompts.Select((_, i) => new TokenSampler(options, i)).ToArray();
        if (prompts.Count > 0 && options.MaxNewTokens > 0)
        {
            if (options.UseCache)
            {
                RunCached(prompts, decoders, samplers, startCached, options.OnToken, clock, cancellationToken);
            }
            else
            {
                RunUncached(prompts, decoders, samplers, lastLogits, options.OnToken, clock, cancellationToken);
            }
        }
        return [.. decoders.Select(d => d.ToResult())];
    }

    private static void RunCached(IReadOnlyList<IReadOnlyList<long>> prompts, SequenceDecoder[] decoders, TokenSampler[] samplers,
        Func<ICachedDecoding> startCached, Action<int, GenerationResult>? onToken, Stopwatch clock, CancellationToken cancellationToken)
    {
        using var decoding = startCached();
        var active = Enumerable.Range(0, prompts.Count).ToList();
        var logits = decoding.Start(prompts);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var next = Choose(active, logits, decoders, samplers, onToken, clock);
            var kept = Enumerable.Range(0, active.Count).Where(position => !decoders[active[position]].IsFinished).ToList();
            if (kept.Count == 0)
            {
                return;
            }
            logits = decoding.Continue(kept, [.. kept.Select(position => next[position])]);
            active = [.. kept.Select(position => active[position])];
        }
    }

    private static void RunUncached(IReadOnlyList<IReadOnlyList<long>> prompts, SequenceDecoder[] decoders, TokenSampler[] samplers,
        Func<IReadOnlyList<IReadOnlyList<long>>, float[][]> lastLogits, Action<int, GenerationResult>? onToken, Stopwatch clock, CancellationToken cancellationToken)
    {
        var sequences = prompts.Select(p => p.ToList()).ToArray();
        var active = Enumerable.Range(0, prompts.Count).ToList();
        while (active.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var logits = lastLogits([.. active.Select(row => (IReadOnlyList<long>)sequences[row])]);
            var next = Choose(active, logits, decoders, samplers, onToken, clock);
            for (var position = 0; position < active.Count; position++)
            {
                sequences[active[position]].Add(next[position]);
            }
            active = [.. active.Where(row => !decoders[row].IsFinished)];
        }
    }

    private static long[] Choose(List<int> active, float[][] logits, SequenceDecoder[] decoders, TokenSampler[] samplers,
        Action<int, GenerationResult>? onToken, Stopwatch clock)
    {
        var next = new long[active.Count];
        for (var position = 0; position < active.Count; position++)
        {
            var row = active[position];
            next[position] = samplers[row].Next(logits[position]);
            decoders[row].Add(next[position], clock.Elapsed.TotalSeconds);
            onToken?.Invoke(row, decoders[row].ToResult());
        }
        return next;
    }
}

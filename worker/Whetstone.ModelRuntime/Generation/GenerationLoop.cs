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
        _ = new TokenSampler(options); // refuses a bad temperature or top-p even when nothing is generated
        if (prompts.Count == 0 || options.MaxNewTokens <= 0)
        {
            return [.. prompts.Select(_ => new SequenceDecoder(tokenizer, options).ToResult())];
        }
        return options.UseCache
            ? RunCached(prompts, options, tokenizer, startCached, cancellationToken)
            : RunUncached(prompts, options, tokenizer, lastLogits, cancellationToken);
    }

    // The rows of one call are admitted together; each row's sampler stream is its index, so rows differ.
    private static IReadOnlyList<GenerationResult> RunCached(IReadOnlyList<IReadOnlyList<long>> prompts, SamplingOptions options,
        ChatTokenizer tokenizer, Func<ICachedDecoding> startCached, CancellationToken cancellationToken)
    {
        var rows = prompts.Select((prompt, i) => new DecodingRow(prompt, options, tokenizer, i)).ToArray();
        var indexOf = rows.Select((row, i) => (row, i)).ToDictionary(pair => pair.row, pair => pair.i);
        using var batch = new ContinuousBatch(startCached);
        cancellationToken.ThrowIfCancellationRequested();
        batch.Admit(rows);
        IReadOnlyList<DecodingRow> advanced = rows;
        while (advanced.Count > 0)
        {
            foreach (var row in advanced)
            {
                options.OnToken?.Invoke(indexOf[row], row.Result);
            }
            cancellationToken.ThrowIfCancellationRequested();
            advanced = batch.Step();
        }
        return [.. rows.Select(row => row.Result)];
    }

    private static IReadOnlyList<GenerationResult> RunUncached(IReadOnlyList<IReadOnlyList<long>> prompts, SamplingOptions options,
        ChatTokenizer tokenizer, Func<IReadOnlyList<IReadOnlyList<long>>, float[][]> lastLogits, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var decoders = prompts.Select(_ => new SequenceDecoder(tokenizer, options)).ToArray();
        var samplers = prompts.Select((_, i) => new TokenSampler(options, i)).ToArray();
        var sequences = prompts.Select(p => p.ToList()).ToArray();
        var active = Enumerable.Range(0, prompts.Count).ToList();
        while (active.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var logits = lastLogits([.. active.Select(row => (IReadOnlyList<long>)sequences[row])]);
            var next = Choose(active, logits, decoders, samplers, options.OnToken, clock);
            for (var position = 0; position < active.Count; position++)
            {
                sequences[active[position]].Add(next[position]);
            }
            active = [.. active.Where(row => !decoders[row].IsFinished)];
        }
        return [.. decoders.Select(d => d.ToResult())];
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

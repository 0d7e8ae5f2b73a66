using System.Diagnostics;
using Whetstone.ModelRuntime.Sampling;
using static TorchSharp.torch;

namespace Whetstone.ModelRuntime.TorchSharp;

/// <summary>Generation: the prompts of one call decode together, left-padded, finished rows dropped.</summary>
public sealed partial class TorchLanguageModelRunner
{
    /// <inheritdoc/>
    public IReadOnlyList<GenerationResult> Generate(IReadOnlyList<IReadOnlyList<long>> prompts, SamplingOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        if (prompts.Any(p => p.Count == 0))
        {
            throw new ArgumentException("every prompt must hold at least one token (for example the beginning-of-sequence token)", nameof(prompts));
        }
        var clock = Stopwatch.StartNew();
        var decoders = prompts.Select(_ => new SequenceDecoder(Tokenizer, options)).ToArray();
        var samplers = prompts.Select((_, i) => new TokenSampler(options, i)).ToArray();
        if (prompts.Count > 0 && options.MaxNewTokens > 0)
        {
            using var noGrad = no_grad();
            if (options.UseCache)
            {
                GenerateWithCache(prompts, decoders, samplers, clock, cancellationToken);
            }
            else
            {
                GenerateWithoutCache(prompts, decoders, samplers, clock, cancellationToken);
            }
        }
        return [.. decoders.Select(d => d.ToResult())];
    }

    private void GenerateWithCache(IReadOnlyList<IReadOnlyList<long>> prompts, SequenceDecoder[] decoders, TokenSampler[] samplers, Stopwatch clock, CancellationToken cancellationToken)
    {
        using var cache = Model.CreateCache();
        var active = Enumerable.Range(0, prompts.Count).ToList();
        var (ids, mask) = PaddedBatch.LeftPadded(prompts, Tokenizer.PadId, Model.Device);
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var last = LastLogits(Model.Forward(ids, mask, cache));
                var next = Choose(active, last, decoders, samplers, clock);
                var keep = active.Select((row, position) => (row, position)).Where(x => !decoders[x.row].IsFinished).ToList();
                if (keep.Count == 0)
                {
                    return;
                }
                if (keep.Count < active.Count)
                {
                    using var rows = tensor(keep.Select(k => (long)k.position).ToArray(), dtype: ScalarType.Int64, device: Model.Device);
                    cache.SelectRows(rows);
                    Replace(ref mask, mask.index_select(0, rows));
                    active = [.. keep.Select(k => k.row)];
                }
                Replace(ref ids, tensor(keep.Select(k => next[k.position]).ToArray(), dtype: ScalarType.Int64, device: Model.Device).unsqueeze(1));
                Replace(ref mask, cat([mask, ones(mask.shape[0], 1, dtype: ScalarType.Int64, device: Model.Device)], 1));
            }
        }
        finally
        {
            ids.Dispose();
            mask.Dispose();
        }
    }

    private void GenerateWithoutCache(IReadOnlyList<IReadOnlyList<long>> prompts, SequenceDecoder[] decoders, TokenSampler[] samplers, Stopwatch clock, CancellationToken cancellationToken)
    {
        var sequences = prompts.Select(p => p.ToList()).ToArray();
        var active = Enumerable.Range(0, prompts.Count).ToList();
        while (active.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            float[][] last;
            using (var scope = NewDisposeScope())
            {
                var (ids, mask) = PaddedBatch.LeftPadded([.. active.Select(row => (IReadOnlyList<long>)sequences[row])], Tokenizer.PadId, Model.Device);
                last = LastLogits(Model.Forward(ids, mask));
            }
            var next = Choose(active, last, decoders, samplers, clock);
            for (var position = 0; position < active.Count; position++)
            {
                sequences[active[position]].Add(next[position]);
            }
            active = [.. active.Where(row => !decoders[row].IsFinished)];
        }
    }

    private static long[] Choose(List<int> active, float[][] last, SequenceDecoder[] decoders, TokenSampler[] samplers, Stopwatch clock)
    {
        var next = new long[active.Count];
        for (var position = 0; position < active.Count; position++)
        {
            var row = active[position];
            next[position] = samplers[row].Next(last[position]);
            decoders[row].Add(next[position], clock.Elapsed.TotalSeconds);
        }
        return next;
    }

    // The logits of every row's last column (with left padding, each row's newest token), copied off the device.
    private static float[][] LastLogits(Tensor logits)
    {
        using (logits)
        using (var last = logits.select(1, -1).to(ScalarType.Float32).cpu().contiguous())
        {
            var rows = (int)last.shape[0];
            var width = (int)last.shape[1];
            var values = last.data<float>().ToArray();
            return [.. Enumerable.Range(0, rows).Select(r => values.AsSpan(r * width, width).ToArray())];
        }
    }

    private static void Replace(ref Tensor current, Tensor replacement)
    {
        var old = current;
        current = replacement;
        old.Dispose();
    }
}

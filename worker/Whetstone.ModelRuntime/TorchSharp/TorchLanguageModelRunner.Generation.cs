using Whetstone.ML.Models;
using Whetstone.ModelRuntime.Generation;
using static TorchSharp.torch;

namespace Whetstone.ModelRuntime.TorchSharp;

/// <summary>Generation: <see cref="GenerationLoop"/> over TorchSharp forward passes, and continuous batching.</summary>
public sealed partial class TorchLanguageModelRunner
{
    /// <inheritdoc/>
    public IAdmittingDecoding StartAdmittingDecoding() => new CachedDecoding(Model, Tokenizer.PadId, Description.Threads);

    /// <inheritdoc/>
    public IReadOnlyList<GenerationResult> Generate(IReadOnlyList<IReadOnlyList<long>> prompts, SamplingOptions options, CancellationToken cancellationToken = default)
    {
        TorchThreads.Apply(Description.Threads);
        using var noGrad = no_grad();
        return GenerationLoop.Run(prompts, options, Tokenizer, () => new CachedDecoding(Model, Tokenizer.PadId, Description.Threads), UncachedLastLogits, cancellationToken);
    }

    private float[][] UncachedLastLogits(IReadOnlyList<IReadOnlyList<long>> sequences)
    {
        using var scope = NewDisposeScope();
        var (ids, mask) = PaddedBatch.LeftPadded(sequences, Tokenizer.PadId, Model.Device);
        return LastLogits(Model.ForwardLast(ids, mask));
    }

    // The logits [rows, vocab] of every row's last column (with left padding, each row's newest token; the model's
    // ForwardLast computes only that column), copied off the device.
    private static float[][] LastLogits(Tensor logits)
    {
        using (logits)
        using (var last = logits.to(ScalarType.Float32).cpu().contiguous())
        {
            var rows = (int)last.shape[0];
            var width = (int)last.shape[1];
            var values = last.data<float>().ToArray();
            return [.. Enumerable.Range(0, rows).Select(r => values.AsSpan(r * width, width).ToArray())];
        }
    }

    /// <summary>
    /// The model's <see cref="KeyValueCache"/> and the growing attention mask of one batch. Every row is left-padded:
    /// zeros (mask 0) before its real tokens. Admitted rows are left-padded to the running batch's width (or the
    /// running rows to theirs); columns that every remaining row masks out are dropped when rows leave, so the cache
    /// is never wider than its longest row. Each call applies the runner's thread count and turns gradients off,
    /// since a server calls it step by step from its own thread.
    /// </summary>
    private sealed class CachedDecoding(LlamaForCausalLM model, long padId, int threads) : IAdmittingDecoding
    {
        private readonly KeyValueCache _cache = model.CreateCache();
        private Tensor? _mask;

        public float[][] Start(IReadOnlyList<IReadOnlyList<long>> prompts)
        {
            TorchThreads.Apply(threads);
            using var noGrad = no_grad();
            var (ids, promptMask) = PaddedBatch.LeftPadded(prompts, padId, model.Device);
            using (ids)
            {
                Replace(promptMask);
                return LastLogits(model.ForwardLast(ids, _mask, _cache));
            }
        }

        public float[][] Admit(IReadOnlyList<IReadOnlyList<long>> prompts)
        {
            if (_mask is null)
            {
                return Start(prompts);
            }
            TorchThreads.Apply(threads);
            using var noGrad = no_grad();
            var (ids, promptMask) = PaddedBatch.LeftPadded(prompts, padId, model.Device);
            using var admitted = model.CreateCache();
            float[][] logits;
            using (ids)
            using (promptMask)
            {
                logits = LastLogits(model.ForwardLast(ids, promptMask, admitted));
                var width = Math.Max(_mask.shape[1], promptMask.shape[1]);
                using var runningMask = PadOldest(_mask, width);
                using var admittedMask = PadOldest(promptMask, width);
                Replace(cat([runningMask, admittedMask], 0));
            }
            _cache.AppendRows(admitted);
            return logits;
        }

        public float[][] Continue(IReadOnlyList<int> keptRows, IReadOnlyList<long> tokens)
        {
            TorchThreads.Apply(threads);
            using var noGrad = no_grad();
            var current = _mask ?? throw new InvalidOperationException("Start must run first");
            if (keptRows.Count < current.shape[0])
            {
                using var rows = tensor(keptRows.Select(r => (long)r).ToArray(), dtype: ScalarType.Int64, device: model.Device);
                _cache.SelectRows(rows);
                Replace(current.index_select(0, rows));
                DropUnusedColumns();
            }
            Replace(cat([_mask!, ones(_mask!.shape[0], 1, dtype: ScalarType.Int64, device: model.Device)], 1));
            using var ids = tensor(tokens.ToArray(), dtype: ScalarType.Int64, device: model.Device).unsqueeze(1);
            return LastLogits(model.ForwardLast(ids, _mask, _cache));
        }

        public void Dispose()
        {
            _mask?.Dispose();
            _cache.Dispose();
        }

        // [rows, time] → [rows, width] with 0 (masked out) before the oldest column.
        private static Tensor PadOldest(Tensor mask, long width) =>
            mask.shape[1] == width ? mask.clone() : nn.functional.pad(mask, [width - mask.shape[1], 0]);

        // Leading columns no remaining row attends to (the padding of rows that left) are dropped from mask and cache.
        private void DropUnusedColumns()
        {
            using var used = _mask!.any(0).cpu();
            var unused = Array.IndexOf(used.data<bool>().ToArray(), true);
            if (unused > 0)
            {
                _cache.DropOldest(unused);
                Replace(_mask.narrow(1, unused, _mask.shape[1] - unused).contiguous());
            }
        }

        private void Replace(Tensor replacement)
        {
            var old = _mask;
            _mask = replacement;
            old?.Dispose();
        }
    }
}

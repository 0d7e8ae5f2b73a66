using Whetstone.ML.Models;
using Whetstone.ModelRuntime.Generation;
using static TorchSharp.torch;

namespace Whetstone.ModelRuntime.TorchSharp;

/// <summary>Generation: <see cref="GenerationLoop"/> over TorchSharp forward passes.</summary>
public sealed partial class TorchLanguageModelRunner
{
    /// <inheritdoc/>
    public IReadOnlyList<GenerationResult> Generate(IReadOnlyList<IReadOnlyList<long>> prompts, SamplingOptions options, CancellationToken cancellationToken = default)
    {
        TorchThreads.Apply(Description.Threads);
        using var noGrad = no_grad();
        return GenerationLoop.Run(prompts, options, Tokenizer, () => new CachedDecoding(Model, Tokenizer.PadId), UncachedLastLogits, cancellationToken);
    }

    private float[][] UncachedLastLogits(IReadOnlyList<IReadOnlyList<long>> sequences)
    {
        using var scope = NewDisposeScope();
        var (ids, mask) = PaddedBatch.LeftPadded(sequences, Tokenizer.PadId, Model.Device);
        return LastLogits(Model.Forward(ids, mask));
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

    /// <summary>The model's <see cref="KeyValueCache"/> and the growing attention mask of one batch.</summary>
    private sealed class CachedDecoding(LlamaForCausalLM model, long padId) : ICachedDecoding
    {
        private readonly KeyValueCache _cache = model.CreateCache();
        private Tensor? _mask;

        public float[][] Start(IReadOnlyList<IReadOnlyList<long>> prompts)
        {
            var (ids, promptMask) = PaddedBatch.LeftPadded(prompts, padId, model.Device);
            using (ids)
            {
                _mask = promptMask;
                return LastLogits(model.Forward(ids, _mask, _cache));
            }
        }

        public float[][] Continue(IReadOnlyList<int> keptRows, IReadOnlyList<long> tokens)
        {
            var current = _mask ?? throw new InvalidOperationException("Start must run first");
            if (keptRows.Count < current.shape[0])
            {
                using var rows = tensor(keptRows.Select(r => (long)r).ToArray(), dtype: ScalarType.Int64, device: model.Device);
                _cache.SelectRows(rows);
                Replace(current.index_select(0, rows));
            }
            Replace(cat([_mask!, ones(_mask!.shape[0], 1, dtype: ScalarType.Int64, device: model.Device)], 1));
            using var ids = tensor(tokens.ToArray(), dtype: ScalarType.Int64, device: model.Device).unsqueeze(1);
            return LastLogits(model.Forward(ids, _mask, _cache));
        }

        public void Dispose()
        {
            _mask?.Dispose();
            _cache.Dispose();
        }

        private void Replace(Tensor replacement)
        {
            var old = _mask;
            _mask = replacement;
            old?.Dispose();
        }
    }
}

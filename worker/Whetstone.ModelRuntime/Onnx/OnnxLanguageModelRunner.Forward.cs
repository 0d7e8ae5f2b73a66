using Microsoft.ML.OnnxRuntime;
using Whetstone.ModelRuntime.Generation;

namespace Whetstone.ModelRuntime.Onnx;

/// <summary>One ONNX Runtime forward pass and the key/value state carried between passes.</summary>
public sealed partial class OnnxLanguageModelRunner
{
    // Runs input_ids [rows, time] with attention_mask [rows, past + time]. The result owns ONNX Runtime's output
    // tensors: logits [rows, time, vocab] are read in place, and the presents are fed to the next pass as they are,
    // without a copy through managed memory.
    private ForwardPass Forward(long[] ids, long[] mask, int rows, int time, PastState past)
    {
        CheckVocabulary(ids);
        var names = new List<string> { "input_ids", "attention_mask" };
        var inputs = new List<OrtValue>
        {
            OrtValue.CreateTensorValueFromMemory(ids, [rows, time]),
            OrtValue.CreateTensorValueFromMemory(mask, [rows, mask.Length / Math.Max(rows, 1)]),
        };
        var created = new List<OrtValue>(inputs);
        var outputs = new List<string> { "logits" };
        if (_hasPast)
        {
            for (var layer = 0; layer < _config.NumHiddenLayers; layer++)
            {
                names.Add($"past_key_values.{layer}.key");
                inputs.Add(past.Keys[layer]);
                names.Add($"past_key_values.{layer}.value");
                inputs.Add(past.Values[layer]);
                outputs.Add($"present.{layer}.key");
                outputs.Add($"present.{layer}.value");
            }
        }
        try
        {
            using var runOptions = new RunOptions();
            var results = _session.Run(runOptions, names, inputs, outputs);
            var present = _hasPast
                ? new PastState(
                    [.. Enumerable.Range(0, _config.NumHiddenLayers).Select(layer => results[1 + 2 * layer])],
                    [.. Enumerable.Range(0, _config.NumHiddenLayers).Select(layer => results[2 + 2 * layer])],
                    past.Length + time, _config.KeyValueHeads, _config.AttentionHeadDim, owned: false)
                : past;
            return new ForwardPass(results, present, time, VocabularySize);
        }
        finally
        {
            foreach (var value in created)
            {
                value.Dispose();
            }
        }
    }

    // ONNX Runtime would fail in the embedding's Gather with an index message naming no file; the Torch loader refuses
    // such a tokenizer when it loads, and this runner serves until a prompt holds the token, so it names the cause here.
    private void CheckVocabulary(long[] ids)
    {
        foreach (var id in ids)
        {
            if ((ulong)id >= (ulong)VocabularySize)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), id,
                    $"token id {id} is outside the model's vocabulary (config.json vocab_size {VocabularySize}): the tokenizer knows a token the embedding has no row for");
            }
        }
    }

    /// <summary>The outputs of one pass; disposing it frees the logits and the presents.</summary>
    private sealed class ForwardPass(IDisposableReadOnlyCollection<OrtValue> results, PastState present, int width, int vocabulary) : IDisposable
    {
        public PastState Present => present;

        /// <summary>Logits of one row at one position.</summary>
        public ReadOnlySpan<float> At(int row, int position) =>
            results[0].GetTensorDataAsSpan<float>().Slice(((row * width) + position) * vocabulary, vocabulary);

        /// <summary>Logits of one row's first <paramref name="positions"/> positions.</summary>
        public ReadOnlySpan<float> Row(int row, int positions) =>
            results[0].GetTensorDataAsSpan<float>().Slice(row * width * vocabulary, positions * vocabulary);

        public float[][] LastColumn(int rows) => [.. Enumerable.Range(0, rows).Select(r => At(r, width - 1).ToArray())];

        public void Dispose() => results.Dispose();
    }

    /// <summary>
    /// Keys and values per layer, [rows, kvHeads, Length, headDim]: ONNX Runtime's tensors from the previous pass, or
    /// tensors this state owns (the empty past, or the rows kept after some sequences finished).
    /// </summary>
    private sealed class PastState(OrtValue[] keys, OrtValue[] values, int length, int keyValueHeads, int headDim, bool owned) : IDisposable
    {
        public OrtValue[] Keys => keys;

        public OrtValue[] Values => values;

        public int Length => length;

        public static PastState Empty(OnnxLanguageModelRunner runner, int rows)
        {
            var layers = runner._config.NumHiddenLayers;
            long[] shape = [rows, runner._config.KeyValueHeads, 0, runner._config.AttentionHeadDim];
            OrtValue EmptyTensor() => OrtValue.CreateTensorValueFromMemory(Array.Empty<float>(), shape);
            return new PastState(
                [.. Enumerable.Range(0, layers).Select(_ => EmptyTensor())],
                [.. Enumerable.Range(0, layers).Select(_ => EmptyTensor())],
                0, runner._config.KeyValueHeads, runner._config.AttentionHeadDim, owned: true);
        }

        /// <summary>A copy holding only the rows at <paramref name="kept"/>.</summary>
        public PastState SelectRows(IReadOnlyList<int> kept)
        {
            var rowSize = keyValueHeads * length * headDim;
            long[] shape = [kept.Count, keyValueHeads, length, headDim];
            OrtValue Select(OrtValue all)
            {
                var source = all.GetTensorDataAsSpan<float>();
                var result = new float[kept.Count * rowSize];
                for (var i = 0; i < kept.Count; i++)
                {
                    source.Slice(kept[i] * rowSize, rowSize).CopyTo(result.AsSpan(i * rowSize, rowSize));
                }
                return OrtValue.CreateTensorValueFromMemory(result, shape);
            }
            return new PastState([.. keys.Select(Select)], [.. values.Select(Select)], length, keyValueHeads, headDim, owned: true);
        }

        public void Dispose()
        {
            if (!owned)
            {
                return;
            }
            foreach (var tensor in keys.Concat(values))
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>Cached decoding: the presents of one pass are the past of the next.</summary>
    private sealed class CachedDecoding(OnnxLanguageModelRunner runner) : ICachedDecoding
    {
        private ForwardPass? _last;
        private List<long[]> _masks = [];

        public float[][] Start(IReadOnlyList<IReadOnlyList<long>> prompts)
        {
            var batch = Batching.TokenBatch.LeftPadded(prompts, runner.Tokenizer.PadId);
            _masks = [.. Enumerable.Range(0, batch.Rows).Select(r => batch.Mask.AsSpan(r * batch.Width, batch.Width).ToArray())];
            using var empty = PastState.Empty(runner, batch.Rows);
            _last?.Dispose();
            _last = runner.Forward(batch.Ids, batch.Mask, batch.Rows, batch.Width, empty);
            return _last.LastColumn(batch.Rows);
        }

        public float[][] Continue(IReadOnlyList<int> keptRows, IReadOnlyList<long> tokens)
        {
            var previous = _last ?? throw new InvalidOperationException("Start must run first");
            using var selected = keptRows.Count < _masks.Count ? previous.Present.SelectRows(keptRows) : null;
            if (selected is not null)
            {
                _masks = [.. keptRows.Select(r => _masks[r])];
            }
            _masks = [.. _masks.Select(m => (long[])[.. m, 1])];
            var next = runner.Forward([.. tokens], [.. _masks.SelectMany(m => m)], tokens.Count, 1, selected ?? previous.Present);
            previous.Dispose();
            _last = next;
            return next.LastColumn(tokens.Count);
        }

        public void Dispose()
        {
            _last?.Dispose();
            _last = null;
        }
    }
}

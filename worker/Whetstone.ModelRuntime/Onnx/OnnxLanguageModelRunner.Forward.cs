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

        /// <summary>
        /// A copy holding only the rows at <paramref name="kept"/>, without the first <paramref name="dropOldest"/>
        /// positions (padding that no kept row attends to).
        /// </summary>
        public PastState SelectRows(IReadOnlyList<int> kept, int dropOldest = 0)
        {
            var keptLength = length - dropOldest;
            long[] shape = [kept.Count, keyValueHeads, keptLength, headDim];
            OrtValue Select(OrtValue all)
            {
                var source = all.GetTensorDataAsSpan<float>();
                var result = new float[kept.Count * keyValueHeads * keptLength * headDim];
                for (var i = 0; i < kept.Count; i++)
                {
                    for (var head = 0; head < keyValueHeads; head++)
                    {
                        source.Slice((((kept[i] * keyValueHeads) + head) * length + dropOldest) * headDim, keptLength * headDim)
                            .CopyTo(result.AsSpan(((i * keyValueHeads) + head) * keptLength * headDim));
                    }
                }
                return OrtValue.CreateTensorValueFromMemory(result, shape);
            }
            return new PastState([.. keys.Select(Select)], [.. values.Select(Select)], keptLength, keyValueHeads, headDim, owned: true);
        }

        /// <summary>
        /// The rows of <paramref name="first"/> followed by those of <paramref name="second"/>, each left-padded with
        /// zeros (positions the masks leave out) to the longer of the two.
        /// </summary>
        public static PastState Concat(PastState first, int firstRows, PastState second, int secondRows)
        {
            var heads = first.KeyValueHeads;
            var dim = first.HeadDim;
            var width = Math.Max(first.Length, second.Length);
            long[] shape = [firstRows + secondRows, heads, width, dim];
            OrtValue Join(OrtValue top, OrtValue bottom)
            {
                var result = new float[(firstRows + secondRows) * heads * width * dim];
                CopyPadded(top.GetTensorDataAsSpan<float>(), firstRows, first.Length, result, 0);
                CopyPadded(bottom.GetTensorDataAsSpan<float>(), secondRows, second.Length, result, firstRows);
                return OrtValue.CreateTensorValueFromMemory(result, shape);
            }
            void CopyPadded(ReadOnlySpan<float> source, int rows, int sourceLength, float[] result, int firstRow)
            {
                for (var row = 0; row < rows; row++)
                {
                    for (var head = 0; head < heads; head++)
                    {
                        source.Slice(((row * heads) + head) * sourceLength * dim, sourceLength * dim)
                            .CopyTo(result.AsSpan(((((firstRow + row) * heads) + head) * width + (width - sourceLength)) * dim));
                    }
                }
            }
            return new PastState(
                [.. first.Keys.Zip(second.Keys, Join)], [.. first.Values.Zip(second.Values, Join)], width, heads, dim, owned: true);
        }

        public int KeyValueHeads => keyValueHeads;

        public int HeadDim => headDim;

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

    /// <summary>
    /// Cached decoding: the presents of one pass are the past of the next. Rows join between steps
    /// (<see cref="Admit"/>): their prompts run in a pass of their own and their keys and values join the running
    /// ones, left-padded to the longer side. Positions come from the attention mask (the graph counts a row's real
    /// tokens), so the padding changes nothing a row computes. When rows leave, leading columns that no remaining
    /// row attends to are dropped.
    /// </summary>
    private sealed class CachedDecoding(OnnxLanguageModelRunner runner) : IAdmittingDecoding
    {
        private ForwardPass? _last;
        private PastState? _past;
        private List<long[]> _masks = [];

        public float[][] Start(IReadOnlyList<IReadOnlyList<long>> prompts)
        {
            var batch = Batching.TokenBatch.LeftPadded(prompts, runner.Tokenizer.PadId);
            _masks = [.. Enumerable.Range(0, batch.Rows).Select(r => batch.Mask.AsSpan(r * batch.Width, batch.Width).ToArray())];
            using var empty = PastState.Empty(runner, batch.Rows);
            var pass = runner.Forward(batch.Ids, batch.Mask, batch.Rows, batch.Width, empty);
            Replace(pass, pass.Present);
            return pass.LastColumn(batch.Rows);
        }

        public float[][] Admit(IReadOnlyList<IReadOnlyList<long>> prompts)
        {
            if (_past is null)
            {
                return Start(prompts);
            }
            var batch = Batching.TokenBatch.LeftPadded(prompts, runner.Tokenizer.PadId);
            using var empty = PastState.Empty(runner, batch.Rows);
            using var admitted = runner.Forward(batch.Ids, batch.Mask, batch.Rows, batch.Width, empty);
            var logits = admitted.LastColumn(batch.Rows);
            var width = Math.Max(_past.Length, batch.Width);
            var joined = PastState.Concat(_past, _masks.Count, admitted.Present, batch.Rows);
            _masks =
            [
                .. _masks.Select(m => LeftPadded(m, width)),
                .. Enumerable.Range(0, batch.Rows).Select(r => LeftPadded(batch.Mask.AsSpan(r * batch.Width, batch.Width).ToArray(), width)),
            ];
            Replace(null, joined);
            return logits;
        }

        public float[][] Continue(IReadOnlyList<int> keptRows, IReadOnlyList<long> tokens)
        {
            var past = _past ?? throw new InvalidOperationException("Start must run first");
            PastState? selected = null;
            if (keptRows.Count < _masks.Count)
            {
                var kept = keptRows.Select(r => _masks[r]).ToList();
                var unused = Enumerable.Range(0, past.Length).TakeWhile(column => kept.All(m => m[column] == 0)).Count();
                selected = past.SelectRows(keptRows, unused);
                _masks = [.. kept.Select(m => m[unused..])];
            }
            _masks = [.. _masks.Select(m => (long[])[.. m, 1])];
            var next = runner.Forward([.. tokens], [.. _masks.SelectMany(m => m)], tokens.Count, 1, selected ?? past);
            selected?.Dispose();
            Replace(next, next.Present);
            return next.LastColumn(tokens.Count);
        }

        public void Dispose() => Replace(null, null);

        private static long[] LeftPadded(long[] mask, int width) => mask.Length == width ? mask : [.. new long[width - mask.Length], .. mask];

        // The pass whose outputs hold the current past (null when the past is a state of our own), and that past.
        private void Replace(ForwardPass? pass, PastState? past)
        {
            var (oldPass, oldPast) = (_last, _past);
            (_last, _past) = (pass, past);
            if (!ReferenceEquals(oldPast, oldPass?.Present))
            {
                oldPast?.Dispose();
            }
            oldPass?.Dispose();
        }
    }
}

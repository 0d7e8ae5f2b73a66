using Microsoft.ML.OnnxRuntime;
using Whetstone.ModelRuntime.Generation;

namespace Whetstone.ModelRuntime.Onnx;

/// <summary>One ONNX Runtime forward pass and the key/value state carried between passes.</summary>
public sealed partial class OnnxLanguageModelRunner
{
    // Runs input_ids [rows, time] with attention_mask [rows, past + time]; returns logits [rows, time, vocab] and the presents.
    private (float[] Logits, PastState Present) Forward(long[] ids, long[] mask, int rows, int time, PastState past)
    {
        var names = new List<string> { "input_ids", "attention_mask" };
        var values = new List<OrtValue>
        {
            OrtValue.CreateTensorValueFromMemory(ids, [rows, time]),
            OrtValue.CreateTensorValueFromMemory(mask, [rows, mask.Length / Math.Max(rows, 1)]),
        };
        var outputs = new List<string> { "logits" };
        if (hasPast)
        {
            for (var layer = 0; layer < config.NumHiddenLayers; layer++)
            {
                names.Add($"past_key_values.{layer}.key");
                values.Add(OrtValue.CreateTensorValueFromMemory(past.Keys[layer], past.Shape(rows)));
                names.Add($"past_key_values.{layer}.value");
                values.Add(OrtValue.CreateTensorValueFromMemory(past.Values[layer], past.Shape(rows)));
                outputs.Add($"present.{layer}.key");
                outputs.Add($"present.{layer}.value");
            }
        }
        try
        {
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, names, values, outputs);
            var logits = results[0].GetTensorDataAsSpan<float>().ToArray();
            if (!hasPast)
            {
                return (logits, past);
            }
            var keys = new float[config.NumHiddenLayers][];
            var presentValues = new float[config.NumHiddenLayers][];
            for (var layer = 0; layer < config.NumHiddenLayers; layer++)
            {
                keys[layer] = results[1 + 2 * layer].GetTensorDataAsSpan<float>().ToArray();
                presentValues[layer] = results[2 + 2 * layer].GetTensorDataAsSpan<float>().ToArray();
            }
            return (logits, new PastState(keys, presentValues, past.Length + time, config.KeyValueHeads, config.AttentionHeadDim));
        }
        finally
        {
            foreach (var value in values)
            {
                value.Dispose();
            }
        }
    }

    /// <summary>Keys and values per layer, row-major [rows, kvHeads, Length, headDim].</summary>
    private sealed record PastState(float[][] Keys, float[][] Values, int Length, int KeyValueHeads, int HeadDim)
    {
        public static PastState Empty(OnnxLanguageModelRunner runner, int rows) => new(
            [.. Enumerable.Range(0, runner.config.NumHiddenLayers).Select(_ => Array.Empty<float>())],
            [.. Enumerable.Range(0, runner.config.NumHiddenLayers).Select(_ => Array.Empty<float>())],
            0, runner.config.KeyValueHeads, runner.config.AttentionHeadDim);

        public long[] Shape(int rows) => [rows, KeyValueHeads, Length, HeadDim];

        /// <summary>Only the rows at <paramref name="kept"/>.</summary>
        public PastState SelectRows(IReadOnlyList<int> kept)
        {
            var rowSize = KeyValueHeads * Length * HeadDim;
            float[] Select(float[] all)
            {
                var result = new float[kept.Count * rowSize];
                for (var i = 0; i < kept.Count; i++)
                {
                    Array.Copy(all, kept[i] * rowSize, result, i * rowSize, rowSize);
                }
                return result;
            }
            return this with { Keys = [.. Keys.Select(Select)], Values = [.. Values.Select(Select)] };
        }
    }

    /// <summary>Cached decoding: the presents of one pass are the past of the next.</summary>
    private sealed class CachedDecoding(OnnxLanguageModelRunner runner) : ICachedDecoding
    {
        private PastState? past;
        private List<long[]> masks = [];

        public float[][] Start(IReadOnlyList<IReadOnlyList<long>> prompts)
        {
            var batch = Batching.TokenBatch.LeftPadded(prompts, runner.Tokenizer.PadId);
            masks = [.. Enumerable.Range(0, batch.Rows).Select(r => batch.Mask.AsSpan(r * batch.Width, batch.Width).ToArray())];
            var (logits, present) = runner.Forward(batch.Ids, batch.Mask, batch.Rows, batch.Width, PastState.Empty(runner, batch.Rows));
            past = present;
            return runner.LastColumn(logits, batch.Rows, batch.Width);
        }

        public float[][] Continue(IReadOnlyList<int> keptRows, IReadOnlyList<long> tokens)
        {
            var state = past ?? throw new InvalidOperationException("Start must run first");
            if (keptRows.Count < masks.Count)
            {
                state = state.SelectRows(keptRows);
                masks = [.. keptRows.Select(r => masks[r])];
            }
            masks = [.. masks.Select(m => (long[])[.. m, 1])];
            var (logits, present) = runner.Forward([.. tokens], [.. masks.SelectMany(m => m)], tokens.Count, 1, state);
            past = present;
            return runner.LastColumn(logits, tokens.Count, 1);
        }

        public void Dispose()
        {
            past = null;
        }
    }
}

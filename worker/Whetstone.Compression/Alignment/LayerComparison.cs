using Microsoft.ML.OnnxRuntime;
using Onnx;
using Whetstone.Compression.Quantization;
using Whetstone.ML.Tokenization;
using Whetstone.Onnx;
using ChatMessage = Whetstone.ML.Tokenization.ChatMessage;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Whetstone.Compression.Alignment;

/// <summary>
/// Layer-by-layer comparison of an original and a compressed ONNX graph: the output of every MatMul / Gemm of the
/// original is made an extra graph output in both (a rewritten layer writes the same tensor name), both run in ONNX
/// Runtime on the same probe inputs from the evaluation set, and each layer gets a cosine and an SQNR of its output
/// and the SQNR of its input. Differences accumulate through the network, so a layer's output figures include what
/// earlier layers lost; the noise that appears across the layer (<see cref="LayerDifference.AddedNoise"/>) is its own share.
/// </summary>
public static class LayerComparison
{
    /// <summary>Probe sequences (language models) run one at a time, so no padding enters the comparison.</summary>
    public const int ProbeSequences = 4;

    /// <summary>Compares the ONNX directories <paramref name="originalDirectory"/> and <paramref name="compressedDirectory"/>.</summary>
    public static IReadOnlyList<LayerDifference> Compare(string originalDirectory, string compressedDirectory, EvaluationSet set, string scratch)
    {
        ArgumentNullException.ThrowIfNull(set);
        var original = OnnxModels.Load(originalDirectory);
        var compressed = OnnxModels.Load(compressedDirectory);
        var compressedOutputs = compressed.Graph.Node.SelectMany(n => n.Output).ToHashSet(StringComparer.Ordinal);
        var layers = MatMulLayers.Find(original).Where(l => compressedOutputs.Contains(l.Output)).ToList();
        var inputs = original.Graph.Node.Where(n => n.OpType is "MatMul" or "Gemm").ToDictionary(n => n.Output[0], n => n.Input[0], StringComparer.Ordinal);
        var graphInputs = original.Graph.Input.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var tensors = layers.Select(l => l.Output)
            .Concat(layers.Select(l => inputs[l.Output]).Where(t => !graphInputs.Contains(t) && compressedOutputs.Contains(t)))
            .Distinct(StringComparer.Ordinal).ToList();
        var originalPath = WithOutputs(original, tensors, Path.Combine(scratch, "probe-original"));
        var compressedPath = WithOutputs(compressed, tensors, Path.Combine(scratch, "probe-compressed"));
        var feeds = ProbeFeeds(original, originalDirectory, set);
        var a = Run(originalPath, feeds, tensors);
        var b = Run(compressedPath, feeds, tensors);
        var index = tensors.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i, StringComparer.Ordinal);
        double SqnrOf(string tensor) => index.TryGetValue(tensor, out var i) ? Similarity.SignalToNoiseDecibels(a[i], b[i]) : double.PositiveInfinity;
        return [.. layers.Select(layer => new LayerDifference(
            layer.Name,
            layer.Output,
            Similarity.Cosine(a[index[layer.Output]], b[index[layer.Output]]),
            SqnrOf(layer.Output),
            IsRewritten(compressed, layer),
            SqnrOf(inputs[layer.Output])))];
    }

    // A layer is compressed when the compressed graph no longer computes its output with a float MatMul on the
    // original weight: MatMulInteger wrote it, or its weight now comes from a Cast / DequantizeLinear node.
    private static bool IsRewritten(ModelProto compressed, MatMulLayer layer)
    {
        var producer = compressed.Graph.Node.FirstOrDefault(n => n.Output.Contains(layer.Output));
        if (producer is null)
        {
            return false;
        }
        if (producer.OpType is "Mul" or "Add" && (producer.Name.Contains("_dq/", StringComparison.Ordinal) || producer.Name.Contains("_qdq/", StringComparison.Ordinal)))
        {
            return true;
        }
        return layer.Weight is { } weight && compressed.Graph.Node.Any(n => n.OpType is "Cast" or "DequantizeLinear" && n.Output.Contains(weight));
    }

    internal static string WithOutputs(ModelProto model, IReadOnlyList<string> tensors, string directory)
    {
        var copy = model.Clone();
        var existing = copy.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var tensor in tensors.Where(t => !existing.Contains(t)))
        {
            copy.Graph.Output.Add(new ValueInfoProto
            {
                Name = tensor,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)DataType.Float } },
            });
        }
        Directory.CreateDirectory(directory);
        OnnxModelFiles.Write(copy, directory, 1L << 31);
        return Path.Combine(directory, OnnxModelFiles.ModelFileName);
    }

    internal static List<Dictionary<string, (float[]? Floats, long[]? Longs, long[] Shape)>> ProbeFeeds(ModelProto model, string directory, EvaluationSet set, int count = ProbeSequences)
    {
        var inputs = model.Graph.Input;
        if (set.Task == EvaluationTask.Classification)
        {
            var rows = set.Table!.Features;
            var width = rows[0].Length;
            return [new() { [inputs[0].Name] = ([.. rows.SelectMany(r => r)], null, [rows.Count, width]) }];
        }
        var tokenizer = ChatTokenizer.Load(directory);
        var sequences = set.Task == EvaluationTask.MultipleChoice
            ? set.Questions.Take(count).Select(q => tokenizer.EncodeCompletion([new ChatMessage("user", q.Prompt)], q.Choices[q.Answer])).Select(p => p.Prompt.Concat(p.Completion).ToArray())
            : set.Conversations.Select(c => tokenizer.EncodeChat(c, addGenerationPrompt: false)).Concat(set.Texts.Select(t => tokenizer.Encode(t, addBos: true))).Take(count);
        var feeds = new List<Dictionary<string, (float[]?, long[]?, long[])>>();
        foreach (var ids in sequences)
        {
            var feed = new Dictionary<string, (float[]?, long[]?, long[])>(StringComparer.Ordinal);
            foreach (var input in inputs)
            {
                if (input.Name == "input_ids")
                {
                    feed[input.Name] = (null, [.. ids.Select(i => (long)i)], [1, ids.Length]);
                }
                else if (input.Name == "attention_mask")
                {
                    feed[input.Name] = (null, [.. Enumerable.Repeat(1L, ids.Length)], [1, ids.Length]);
                }
                else
                {
                    // Past key/values: empty along the sequence axis; fixed dimensions from the graph's declaration.
                    var dims = input.Type.TensorType.Shape.Dim.Select(d => d.HasDimValue ? d.DimValue : 0L).ToArray();
                    dims[0] = 1;
                    feed[input.Name] = ([], null, dims);
                }
            }
            feeds.Add(feed);
        }
        return feeds;
    }

    internal static List<float[]> Run(string path, List<Dictionary<string, (float[]? Floats, long[]? Longs, long[] Shape)>> feeds, IReadOnlyList<string> names)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC, IntraOpNumThreads = 1 };
        using var session = new InferenceSession(path, options);
        var collected = names.Select(_ => new List<float>()).ToList();
        using var runOptions = new RunOptions();
        foreach (var feed in feeds)
        {
            var values = feed.Select(f => f.Value.Floats is not null
                ? OrtValue.CreateTensorValueFromMemory(f.Value.Floats, f.Value.Shape)
                : OrtValue.CreateTensorValueFromMemory(f.Value.Longs!, f.Value.Shape)).ToList();
            try
            {
                using var outputs = session.Run(runOptions, [.. feed.Keys], values, names);
                for (var i = 0; i < names.Count; i++)
                {
                    collected[i].AddRange(outputs[i].GetTensorDataAsSpan<float>().ToArray());
                }
            }
            finally
            {
                values.ForEach(v => v.Dispose());
            }
        }
        return [.. collected.Select(c => c.ToArray())];
    }
}

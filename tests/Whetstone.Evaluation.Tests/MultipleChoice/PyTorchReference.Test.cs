using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Whetstone.Evaluation.MultipleChoice;
using Whetstone.ModelRuntime;

namespace Whetstone.Evaluation.Tests.MultipleChoice;

public sealed class PyTorchReferenceTest
{
    [Fact]
    public void Choice_log_likelihoods_equal_a_direct_PyTorch_forward_pass_of_the_shipped_model()
    {
        var modelDirectory = RepositoryPaths.Of("examples/models/tiny-llama");
        var items = MultipleChoiceFile.Read(RepositoryPaths.Of("examples/datasets/general-mc.jsonl"), 40).Where((_, i) => i % 20 == 3).ToArray();
        using var model = ModelLoader.LoadLanguageModel(modelDirectory, new RuntimeOptions(Threads: 1, PreferCuda: false));
        var scored = MultipleChoiceScorer.Score(model, items, new MultipleChoiceOptions(Plain: true));

        // One unpadded sequence per choice: context + continuation, scored by the independent PyTorch Llama
        // (tests/Whetstone.ML.Tests/python/llama_reference.py, explicit softmax attention, weights read by hand).
        var sequences = new List<(long[] Ids, int ContextLength)>();
        foreach (var item in items)
        {
            var context = model.Tokenizer.Encode(MultipleChoicePromptBuilder.PlainContext(item, []), addBos: true).Select(id => (long)id).ToArray();
            foreach (var choice in item.Choices)
            {
                sequences.Add(([.. context, .. model.Tokenizer.Encode(MultipleChoicePromptBuilder.PlainAnswer(choice)).Select(id => (long)id)], context.Length));
            }
        }

        var next = 0;
        foreach (var (item, result) in items.Zip(scored))
        {
            for (var c = 0; c < item.Choices.Count; c++, next++)
            {
                var (ids, contextLength) = sequences[next];
                var logits = ReferenceLogits(modelDirectory, ids);
                var vocabulary = logits.Length / ids.Length;
                var sum = 0.0;
                for (var t = contextLength; t < ids.Length; t++)
                {
                    var row = logits.AsSpan((t - 1) * vocabulary, vocabulary);
                    var max = double.NegativeInfinity;
                    foreach (var v in row)
                    {
                        max = Math.Max(max, v);
                    }

                    var total = 0.0;
                    foreach (var v in row)
                    {
                        total += Math.Exp(v - max);
                    }

                    sum += row[(int)ids[t]] - max - Math.Log(total);
                }

                Assert.Equal(sum, result.LogLikelihoods[c], 1e-4);
            }
        }
    }

    private static float[] ReferenceLogits(string modelDirectory, long[] ids)
    {
        var folder = Path.Combine(Path.GetTempPath(), "whetstone-llama-reference-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var input = Path.Combine(folder, "input.json");
            var output = Path.Combine(folder, "logits.safetensors");
            File.WriteAllText(input, new JsonObject { ["input_ids"] = new JsonArray(new JsonArray([.. ids.Select(i => (JsonNode)i)])), ["attention_mask"] = null }.ToJsonString());
            var start = new ProcessStartInfo("/usr/bin/python3", [RepositoryPaths.Of("tests/Whetstone.ML.Tests/python/llama_reference.py"), modelDirectory, input, output]) { RedirectStandardError = true };
            using (var process = Process.Start(start)!)
            {
                var error = process.StandardError.ReadToEnd();
                process.WaitForExit();
                Assert.True(process.ExitCode == 0, error);
            }

            var bytes = File.ReadAllBytes(output);
            var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            using var header = JsonDocument.Parse(bytes.AsMemory(8, headerLength));
            var entry = header.RootElement.GetProperty("logits");
            Assert.Equal("F32", entry.GetProperty("dtype").GetString());
            var begin = entry.GetProperty("data_offsets")[0].GetInt32();
            var end = entry.GetProperty("data_offsets")[1].GetInt32();
            var values = new float[(end - begin) / 4];
            Buffer.BlockCopy(bytes, 8 + headerLength + begin, values, 0, end - begin);
            return values;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

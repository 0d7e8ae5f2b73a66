using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Whetstone.ModelRuntime;
using Whetstone.Onnx;
using Xunit.Abstractions;

namespace Whetstone.Serving.Tests;

/// <summary>
/// ONNX Runtime models batch whole requests by default and, with <see cref="ServingOptions.OnnxContinuousBatching"/>
/// (a graph exported with past key/value inputs), join the running decode: either way concurrent completions share
/// forward passes and give the tokens of one-at-a-time generation.
/// </summary>
public sealed class ServingServerOnnxGenerationIntegrationTest(ITestOutputHelper output)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Completions_on_an_onnx_model_share_forward_passes_and_give_the_tokens_of_one_at_a_time_generation(bool continuous)
    {
        var directory = Path.Combine(Path.GetTempPath(), "whetstone-serving-onnx-" + Guid.NewGuid().ToString("N"));
        try
        {
            OnnxExporter.Export(TestModels.TinyLlama, directory);
            string[] prompts = ["The cat", "It was a sunny day and", "In the kitchen", "My friend", "Rain"];
            using var reference = ModelLoader.LoadLanguageModel(directory, new RuntimeOptions(Threads: 1));
            Assert.Equal(RuntimeBackend.OnnxRuntime, reference.Description.Backend);
            Assert.True(reference is IContinuousBatchingRunner { SupportsAdmission: true }, "the exported graph has past inputs: its decoding admits rows");
            var expected = prompts.Select(p => reference.Generate([[.. reference.Tokenizer.Encode(p, addBos: true).Select(id => (long)id)]],
                new SamplingOptions(10, StopTokenIds: [reference.Tokenizer.EosId]))[0]).ToList();
            await using var server = await (await TestServer.StartAsync(
                () => ModelLoader.LoadLanguageModel(directory, new RuntimeOptions(Threads: 1)),
                new ServingOptions { MaxBatchSize = 8, MaxDelayMs = 100, ModelName = "tiny", OnnxContinuousBatching = continuous })).ReadyAsync();

            var answers = await Task.WhenAll(prompts.Select(async prompt =>
            {
                using var response = await server.PostAsync("/v1/completions", new JsonObject { ["prompt"] = prompt, ["max_tokens"] = 10, ["temperature"] = 0 });
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return (await response.Content.ReadFromJsonAsync<JsonObject>())!["choices"]![0]!["text"]!.GetValue<string>();
            }));

            Assert.Equal(expected.Select(e => e.Text), answers);
            if (continuous)
            {
                // Continuous batching records the rows of every forward pass (the warm-up ran a prefill and one step
                // of one row); each token is one row of one pass.
                var passes = await server.MetricAsync("whetstone_inference_batch_size_count") - 2;
                var rows = await server.MetricAsync("whetstone_inference_batch_size_sum") - 2;
                output.WriteLine($"{prompts.Length} completions: {rows} rows in {passes} forward passes");
                Assert.Equal(expected.Sum(e => e.TokenIds.Count), rows);
                Assert.True(rows > passes, $"{prompts.Length} concurrent completions ran {rows} rows in {passes} passes: no pass was shared");
            }
            else
            {
                // Request-level batching records one batch per Generate call (the warm-up was one).
                var batches = await server.MetricAsync("whetstone_inference_batch_size_count") - 1;
                var requests = await server.MetricAsync("whetstone_inference_batch_size_sum") - 1;
                output.WriteLine($"{prompts.Length} completions: {requests} requests in {batches} batches");
                Assert.Equal(prompts.Length, requests);
                Assert.True(batches < prompts.Length, $"{prompts.Length} concurrent completions ran in {batches} batches: none was shared");
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

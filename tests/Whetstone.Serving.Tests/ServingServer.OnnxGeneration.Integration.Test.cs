using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Whetstone.ModelRuntime;
using Whetstone.Onnx;
using Xunit.Abstractions;

namespace Whetstone.Serving.Tests;

/// <summary>ONNX Runtime models cannot admit rows mid-decode: their completions fall back to request-level batching.</summary>
public sealed class ServingServerOnnxGenerationIntegrationTest(ITestOutputHelper output)
{
    [Fact]
    public async Task Completions_on_an_onnx_model_share_whole_request_batches_and_give_the_tokens_of_one_at_a_time_generation()
    {
        var directory = Path.Combine(Path.GetTempPath(), "whetstone-serving-onnx-" + Guid.NewGuid().ToString("N"));
        try
        {
            OnnxExporter.Export(TestModels.TinyLlama, directory);
            string[] prompts = ["The cat", "It was a sunny day and", "In the kitchen", "My friend", "Rain"];
            using var reference = ModelLoader.LoadLanguageModel(directory, new RuntimeOptions(Threads: 1));
            Assert.Equal(RuntimeBackend.OnnxRuntime, reference.Description.Backend);
            Assert.False(reference is IContinuousBatchingRunner, "the ONNX runner now admits rows: serve it continuously and change this test");
            var expected = prompts.Select(p => reference.Generate([[.. reference.Tokenizer.Encode(p, addBos: true).Select(id => (long)id)]],
                new SamplingOptions(10, StopTokenIds: [reference.Tokenizer.EosId]))[0]).ToList();
            await using var server = await (await TestServer.StartAsync(
                () => ModelLoader.LoadLanguageModel(directory, new RuntimeOptions(Threads: 1)),
                new ServingOptions { MaxBatchSize = 8, MaxDelayMs = 100, ModelName = "tiny" })).ReadyAsync();

            var answers = await Task.WhenAll(prompts.Select(async prompt =>
            {
                using var response = await server.PostAsync("/v1/completions", new JsonObject { ["prompt"] = prompt, ["max_tokens"] = 10, ["temperature"] = 0 });
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return (await response.Content.ReadFromJsonAsync<JsonObject>())!["choices"]![0]!["text"]!.GetValue<string>();
            }));

            Assert.Equal(expected.Select(e => e.Text), answers);
            // Request-level batching records one batch per Generate call (the warm-up was one).
            var batches = await server.MetricAsync("whetstone_inference_batch_size_count") - 1;
            var requests = await server.MetricAsync("whetstone_inference_batch_size_sum") - 1;
            output.WriteLine($"{prompts.Length} completions: {requests} requests in {batches} batches");
            Assert.Equal(prompts.Length, requests);
            Assert.True(batches < prompts.Length, $"{prompts.Length} concurrent completions ran in {batches} batches: none was shared");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

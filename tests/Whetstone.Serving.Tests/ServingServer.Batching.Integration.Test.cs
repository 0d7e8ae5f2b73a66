using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Whetstone.ModelRuntime;
using Xunit.Abstractions;

namespace Whetstone.Serving.Tests;

public sealed class ServingServerBatchingIntegrationTest(ITestOutputHelper output)
{
    [Fact]
    public async Task Classifier_scores_served_in_batches_equal_one_at_a_time_scores_within_1e5_and_batches_stay_within_the_maximum()
    {
        var rows = TestModels.DigitRows(25);
        using var reference = ModelLoader.LoadClassifier(TestModels.DigitsClassifier, new RuntimeOptions(Threads: 1));
        var expected = rows.Select(row => reference.Score([row], batchSize: 1)[0]).ToList();
        var model = new PausableClassifier(ModelLoader.LoadClassifier(TestModels.DigitsClassifier, new RuntimeOptions(Threads: 1)));
        await using var server = await (await TestServer.StartAsync(() => model, new ServingOptions { MaxBatchSize = 8, MaxDelayMs = 50 })).ReadyAsync();

        model.Pause();
        var first = PredictAsync(server, rows[0]);
        await Eventually.WaitAsync(() => model.Batches == 2);
        var rest = rows.Skip(1).Select(row => PredictAsync(server, row)).ToList();
        await Eventually.WaitAsync(async () => await server.MetricAsync("whetstone_inference_queue_depth") == 24);
        model.Resume();
        var answers = await Task.WhenAll(rest.Prepend(first));

        for (var i = 0; i < rows.Count; i++)
        {
            var difference = answers[i].Zip(expected[i], (a, b) => Math.Abs(a - b)).Max();
            Assert.True(difference <= 1e-5, $"row {i}: batched and unbatched scores differ by {difference}");
        }
        var batches = await server.MetricAsync("whetstone_inference_batch_size_count");
        var requests = await server.MetricAsync("whetstone_inference_batch_size_sum");
        var small = await server.MetricAsync("whetstone_inference_batch_size_bucket", "le=\"4\"");
        var withinMax = await server.MetricAsync("whetstone_inference_batch_size_bucket", "le=\"8\"");
        output.WriteLine($"{requests} requests (warm-up included) in {batches} batches; batches of at most 4: {small}");
        Assert.Equal(26, requests);
        Assert.Equal(batches, withinMax);
        Assert.Equal(5, batches);
        Assert.Equal(2, small);
    }

    [Fact]
    public async Task Concurrent_greedy_completions_share_batches_and_give_the_tokens_of_one_at_a_time_generation()
    {
        string[] prompts = ["The cat", "It was a sunny day and", "In the kitchen", "My friend", "The train to the city", "Rain"];
        using var reference = ModelLoader.LoadLanguageModel(TestModels.TinyLlama, new RuntimeOptions(Threads: 1));
        var expected = prompts.Select(p => reference.Generate([[.. reference.Tokenizer.Encode(p, addBos: true).Select(id => (long)id)]],
            new SamplingOptions(12, StopTokenIds: [reference.Tokenizer.EosId]))[0]).ToList();
        await using var server = await (await TestServer.StartAsync(
            () => ModelLoader.LoadLanguageModel(TestModels.TinyLlama, new RuntimeOptions(Threads: 1)),
            new ServingOptions { MaxBatchSize = 8, MaxDelayMs = 100, ModelName = "tiny" })).ReadyAsync();

        var answers = await Task.WhenAll(prompts.Select(async prompt =>
        {
            using var response = await server.PostAsync("/v1/completions", new JsonObject { ["model"] = "tiny", ["prompt"] = prompt, ["max_tokens"] = 12, ["temperature"] = 0 });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        }));

        for (var i = 0; i < prompts.Length; i++)
        {
            Assert.Equal(expected[i].Text, answers[i]["choices"]![0]!["text"]!.GetValue<string>());
            Assert.Equal(expected[i].TokenIds.Count, answers[i]["usage"]!["completion_tokens"]!.GetValue<int>());
        }
        // Continuous batching records the rows of every forward pass, prefills and decoding steps (the warm-up ran a
        // prefill and one step of one row); each token is one row of one pass.
        var passes = await server.MetricAsync("whetstone_inference_batch_size_count") - 2;
        var rows = await server.MetricAsync("whetstone_inference_batch_size_sum") - 2;
        output.WriteLine($"{prompts.Length} completions: {rows} rows in {passes} forward passes");
        Assert.True(rows > passes, $"{prompts.Length} concurrent completions ran {rows} rows in {passes} passes: no pass was shared");
        Assert.Equal(expected.Sum(e => e.TokenIds.Count), rows);
        Assert.Equal(passes + 2, await server.MetricAsync("whetstone_inference_batch_size_bucket", "le=\"8\""));
        Assert.Equal(expected.Sum(e => e.TokenIds.Count), await server.MetricAsync("whetstone_inference_tokens_generated_total"));
    }

    private static async Task<float[]> PredictAsync(TestServer server, float[] row)
    {
        using var response = await server.PostAsync("/v1/predict", new JsonObject { ["inputs"] = new JsonArray(new JsonArray([.. row.Select(v => (JsonNode?)JsonValue.Create(v))])) });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return [.. body["predictions"]![0]!["scores"]!.AsArray().Select(s => s!.GetValue<float>())];
    }
}

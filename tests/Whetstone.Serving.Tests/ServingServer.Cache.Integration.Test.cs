using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Whetstone.ModelRuntime;

namespace Whetstone.Serving.Tests;

public sealed class ServingServerCacheIntegrationTest
{
    [Fact]
    public async Task A_repeated_classifier_row_is_answered_from_the_cache_with_the_same_scores_and_no_batch()
    {
        await using var server = await (await TestServer.StartAsync(
            () => ModelLoader.LoadClassifier(TestModels.DigitsClassifier, new RuntimeOptions(Threads: 1)),
            new ServingOptions { ResponseCacheEntries = 16, ModelDigest = "sha256:" + new string('a', 64) })).ReadyAsync();
        Assert.Equal(0, await server.MetricAsync("whetstone_inference_cache_requests_total", "result=\"hit\""));
        var row = new JsonObject { ["inputs"] = new JsonArray(new JsonArray([.. TestModels.DigitRows(3)[2].Select(v => (JsonNode?)JsonValue.Create(v))])) };

        var first = await ScoresAsync(server, row);
        var batches = await server.MetricAsync("whetstone_inference_batch_size_count");
        var second = await ScoresAsync(server, row);

        Assert.Equal(first, second);
        Assert.Equal(batches, await server.MetricAsync("whetstone_inference_batch_size_count"));
        Assert.Equal(1, await server.MetricAsync("whetstone_inference_cache_requests_total", "result=\"hit\""));
        Assert.Equal(1, await server.MetricAsync("whetstone_inference_cache_requests_total", "result=\"miss\""));
    }

    [Fact]
    public async Task Greedy_completions_are_cached_and_sampled_ones_are_not()
    {
        await using var server = await (await TestServer.StartAsync(
            () => ModelLoader.LoadLanguageModel(TestModels.TinyLlama, new RuntimeOptions(Threads: 1)),
            new ServingOptions { ResponseCacheEntries = 16, ModelDigest = "sha256:" + new string('b', 64) })).ReadyAsync();
        var greedy = new JsonObject { ["prompt"] = "The dog", ["max_tokens"] = 6, ["temperature"] = 0 };

        var first = await TextAsync(server, greedy);
        var second = await TextAsync(server, greedy);
        await TextAsync(server, new JsonObject { ["prompt"] = "The dog", ["max_tokens"] = 6, ["temperature"] = 0.8, ["seed"] = 3 });

        Assert.Equal(first, second);
        Assert.Equal(1, await server.MetricAsync("whetstone_inference_cache_requests_total", "result=\"hit\""));
        Assert.Equal(1, await server.MetricAsync("whetstone_inference_cache_requests_total", "result=\"miss\""));
    }

    private static async Task<float[]> ScoresAsync(TestServer server, JsonObject body)
    {
        using var response = await server.PostAsync("/v1/predict", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.Content.ReadFromJsonAsync<JsonObject>())!["predictions"]![0]!["scores"]!.AsArray().Select(s => s!.GetValue<float>())];
    }

    private static async Task<string> TextAsync(TestServer server, JsonObject body)
    {
        using var response = await server.PostAsync("/v1/completions", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["choices"]![0]!["text"]!.GetValue<string>();
    }
}

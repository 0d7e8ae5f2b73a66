using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Whetstone.ModelRuntime;

namespace Whetstone.Serving.Tests;

public sealed class ServingServerCompletionsIntegrationTest : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await (await TestServer.StartAsync(
            () => ModelLoader.LoadLanguageModel(TestModels.TinyLlama, new RuntimeOptions(Threads: 1)),
            new ServingOptions { ModelName = "tiny", MaxNewTokensLimit = 64 })).ReadyAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("/v1/completions")]
    [InlineData("/v1/chat/completions")]
    public async Task A_streamed_completion_sends_deltas_that_add_up_to_the_whole_answer_then_done(string path)
    {
        JsonObject Request(bool stream) => path.Contains("chat", StringComparison.Ordinal)
            ? new() { ["model"] = "tiny", ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Where is the cat?" }), ["max_tokens"] = 20, ["temperature"] = 0, ["stream"] = stream }
            : new() { ["model"] = "tiny", ["prompt"] = "The weather today", ["max_tokens"] = 20, ["temperature"] = 0, ["stream"] = stream };
        var chat = path.Contains("chat", StringComparison.Ordinal);

        using var whole = await _server.PostAsync(path, Request(false));
        var answer = (await whole.Content.ReadFromJsonAsync<JsonObject>())!["choices"]![0]!;
        var expected = chat ? answer["message"]!["content"]!.GetValue<string>() : answer["text"]!.GetValue<string>();

        using var streamed = await _server.PostAsync(path, Request(true));
        Assert.Equal(HttpStatusCode.OK, streamed.StatusCode);
        Assert.Equal("text/event-stream", streamed.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("ws1.", streamed.Headers.GetValues("x-request-id").Single(), StringComparison.Ordinal);
        var events = (await streamed.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("data: [DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonNode.Parse(e["data: ".Length..])!["choices"]![0]!).ToList();
        var text = new StringBuilder();
        foreach (var chunk in chunks)
        {
            text.Append(chat ? chunk["delta"]!["content"]?.GetValue<string>() : chunk["text"]!.GetValue<string>());
        }
        Assert.Equal(expected, text.ToString());
        Assert.True(chunks.Count > 2, $"the answer came in {chunks.Count} chunks, not token by token");
        Assert.Equal(answer["finish_reason"]!.GetValue<string>(), chunks[^1]["finish_reason"]!.GetValue<string>());
        Assert.All(chunks[..^1], c => Assert.Null(c["finish_reason"]));
        Assert.True(await _server.MetricAsync("whetstone_inference_time_to_first_token_seconds_count") >= 2);
    }

    [Fact]
    public async Task Models_lists_the_served_model_and_bad_fields_are_refused_by_name()
    {
        var models = (await _server.Http.GetFromJsonAsync<JsonObject>(new Uri("/v1/models", UriKind.Relative)))!;
        Assert.Equal("tiny", models["data"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("LanguageModel", models["data"]![0]!["kind"]!.GetValue<string>());

        foreach (var (body, status, field) in new (JsonObject, HttpStatusCode, string)[]
        {
            (new() { ["prompt"] = "x", ["max_tokens"] = 1000 }, HttpStatusCode.BadRequest, "max_tokens"),
            (new() { ["prompt"] = "x", ["temperature"] = "hot" }, HttpStatusCode.BadRequest, "temperature"),
            (new() { ["max_tokens"] = 3 }, HttpStatusCode.BadRequest, "prompt"),
            (new() { ["model"] = "gpt-4", ["prompt"] = "x" }, HttpStatusCode.NotFound, "model"),
        })
        {
            using var response = await _server.PostAsync("/v1/completions", body);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal(field, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["param"]!.GetValue<string>());
        }
        using var predict = await _server.PostAsync("/v1/predict", new JsonObject { ["inputs"] = new JsonArray(new JsonArray(1.0)) });
        Assert.Equal(HttpStatusCode.NotFound, predict.StatusCode);
    }
}

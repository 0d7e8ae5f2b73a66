using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Whetstone.ModelRuntime;
using Xunit.Abstractions;

namespace Whetstone.Serving.Tests;

/// <summary>Completions over HTTP with continuous batching: requests join and leave the running batch between steps.</summary>
public sealed class ServingServerContinuousBatchingIntegrationTest(ITestOutputHelper output)
{
    /// <summary>
    /// The tiny model ends every greedy answer within about 60 tokens; this seeded sample runs 129 tokens before its
    /// end-of-sequence token (seeded rows sample as if alone, so that holds whatever else decodes beside it).
    /// </summary>
    private static JsonObject LongCompletion(bool stream) => new()
    {
        ["prompt"] = "Once upon a time",
        ["max_tokens"] = 500,
        ["temperature"] = 2.0,
        ["seed"] = 6,
        ["stream"] = stream,
    };

    private static Task<TestServer> StartAsync(int timeoutMs = 30_000) => TestServer.StartAsync(
        () => ModelLoader.LoadLanguageModel(TestModels.TinyLlama, new RuntimeOptions(Threads: 1)),
        new ServingOptions { ModelName = "tiny", MaxBatchSize = 8, MaxNewTokensLimit = 500, TimeoutMs = timeoutMs });

    [Fact]
    public async Task A_short_completion_is_answered_while_a_long_streamed_one_is_still_decoding()
    {
        await using var server = await (await StartAsync()).ReadyAsync();
        var warmUpTokens = await server.MetricAsync("whetstone_inference_tokens_generated_total");
        using var longRequest = new HttpRequestMessage(HttpMethod.Post, "/v1/completions") { Content = JsonContent.Create(LongCompletion(stream: true)) };
        using var longResponse = await server.Http.SendAsync(longRequest, HttpCompletionOption.ResponseHeadersRead);
        using var longEvents = new StreamReader(await longResponse.Content.ReadAsStreamAsync());
        Assert.StartsWith("data: ", await longEvents.ReadLineAsync());

        using var shortResponse = await server.PostAsync("/v1/completions", new JsonObject { ["prompt"] = "hello", ["max_tokens"] = 3, ["temperature"] = 0 });
        Assert.Equal(HttpStatusCode.OK, shortResponse.StatusCode);
        var tokensWhenShortAnswered = await server.MetricAsync("whetstone_inference_tokens_generated_total") - warmUpTokens;

        var rest = await longEvents.ReadToEndAsync();
        Assert.EndsWith("data: [DONE]", rest.TrimEnd(), StringComparison.Ordinal);
        await Eventually.WaitAsync(async () => await server.MetricAsync("whetstone_inference_tokens_generated_total") - warmUpTokens > 3);
        var tokensAtTheEnd = await server.MetricAsync("whetstone_inference_tokens_generated_total") - warmUpTokens;
        output.WriteLine($"completed tokens when the short completion was answered: {tokensWhenShortAnswered}; at the end: {tokensAtTheEnd}");
        Assert.Equal(3, tokensWhenShortAnswered);
        Assert.True(tokensAtTheEnd - 3 >= 100, $"the long completion made {tokensAtTheEnd - 3} tokens");
    }

    // That the row then leaves the batch is DecodeSchedulerTest's (a step count here depends on when the deadline's
    // timer runs, which on a loaded machine can be after the answer's natural end).
    [Fact]
    public async Task A_completion_past_its_deadline_answers_504_and_counts_as_an_error()
    {
        await using var server = await (await StartAsync(timeoutMs: 60)).ReadyAsync();

        using var late = await server.PostAsync("/v1/completions", LongCompletion(stream: false));

        Assert.Equal(HttpStatusCode.GatewayTimeout, late.StatusCode);
        await Eventually.WaitAsync(async () => await server.MetricAsync("whetstone_inference_requests_total", "outcome=\"error\"") == 1);
    }
}

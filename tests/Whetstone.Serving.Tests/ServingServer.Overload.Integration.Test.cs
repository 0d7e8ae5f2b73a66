using System.Net;
using System.Text.Json.Nodes;
using Whetstone.ModelRuntime;

namespace Whetstone.Serving.Tests;

public sealed class ServingServerOverloadIntegrationTest
{
    private static JsonObject Digit() => new() { ["inputs"] = new JsonArray(new JsonArray([.. TestModels.DigitRows(1)[0].Select(v => (JsonNode?)JsonValue.Create(v))])) };

    private static async Task<(TestServer Server, PausableClassifier Model)> StartPausedAsync(ServingOptions options)
    {
        var model = new PausableClassifier(ModelLoader.LoadClassifier(TestModels.DigitsClassifier, new RuntimeOptions(Threads: 1)));
        var server = await (await TestServer.StartAsync(() => model, options)).ReadyAsync();
        model.Pause();
        return (server, model);
    }

    [Fact]
    public async Task A_full_queue_answers_429_with_retry_after_and_the_server_recovers_once_it_drains()
    {
        var (server, model) = await StartPausedAsync(new ServingOptions { MaxBatchSize = 1, MaxDelayMs = 0, QueueCapacity = 2 });
        await using var _ = server;
        var running = server.PostAsync("/v1/predict", Digit());
        await Eventually.WaitAsync(() => model.Batches == 2);
        var queued = new[] { server.PostAsync("/v1/predict", Digit()), server.PostAsync("/v1/predict", Digit()) };
        await Eventually.WaitAsync(async () => await server.MetricAsync("whetstone_inference_queue_depth") == 2);

        using (var refused = await server.PostAsync("/v1/predict", Digit()))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {refused.Headers.RetryAfter}");
            Assert.Equal("queue_full", JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<string>());
        }
        model.Resume();
        foreach (var response in await Task.WhenAll(queued.Prepend(running)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }
        using (var after = await server.PostAsync("/v1/predict", Digit()))
        {
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        }
        Assert.Equal(1, await server.MetricAsync("whetstone_inference_requests_total", "outcome=\"rejected\""));
        Assert.Equal(4, await server.MetricAsync("whetstone_inference_requests_total", "outcome=\"success\""));
    }

    [Fact]
    public async Task A_request_past_its_deadline_answers_504_and_counts_as_an_error()
    {
        var (server, model) = await StartPausedAsync(new ServingOptions { TimeoutMs = 300 });
        await using var _ = server;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using (var response = await server.PostAsync("/v1/predict", Digit()))
        {
            Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
            Assert.Equal("timeout_error", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["type"]!.GetValue<string>());
        }
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.25, 5);
        model.Resume();
        Assert.Equal(1, await server.MetricAsync("whetstone_inference_requests_total", "outcome=\"error\""));
        using var later = await server.PostAsync("/v1/predict", Digit());
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    [Fact]
    public async Task A_client_that_disconnects_leaves_the_queue_and_is_counted_as_cancelled()
    {
        var (server, model) = await StartPausedAsync(new ServingOptions { MaxBatchSize = 1, MaxDelayMs = 0 });
        await using var _ = server;
        var running = server.PostAsync("/v1/predict", Digit());
        await Eventually.WaitAsync(() => model.Batches == 2);
        using var leaving = new CancellationTokenSource();
        var abandoned = server.PostAsync("/v1/predict", Digit(), leaving.Token);
        await Eventually.WaitAsync(async () => await server.MetricAsync("whetstone_inference_queue_depth") == 1);

        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        await Eventually.WaitAsync(async () => await server.MetricAsync("whetstone_inference_queue_depth") == 0);
        await Eventually.WaitAsync(async () => await server.MetricAsync("whetstone_inference_requests_total", "outcome=\"cancelled\"") == 1);
        model.Resume();
        using var response = await running;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, model.Batches);
    }

    [Fact]
    public async Task A_body_over_the_size_limit_answers_413()
    {
        var (server, model) = await StartPausedAsync(new ServingOptions { MaxRequestBytes = 64 });
        await using var _ = server;
        model.Resume();
        using var response = await server.PostAsync("/v1/predict", Digit());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(1, await server.MetricAsync("whetstone_inference_requests_total", "outcome=\"invalid\""));
    }
}

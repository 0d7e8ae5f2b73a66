using Whetstone.ModelRuntime;

namespace Whetstone.Serving.Tests;

public sealed class ServingServerMetricsIntegrationTest
{
    [Fact]
    public async Task Metrics_hold_every_counter_series_at_zero_before_the_first_request()
    {
        await using var server = await (await TestServer.StartAsync(
            () => ModelLoader.LoadClassifier(TestModels.DigitsClassifier, new RuntimeOptions(Threads: 1)), track: "canary", version: "1.3.0")).ReadyAsync();
        string[] labels = ["rollout=\"demo\"", "track=\"canary\"", "version=\"1.3.0\""];

        foreach (var outcome in new[] { "success", "error", "rejected", "invalid", "cancelled" })
        {
            Assert.Equal(0, await server.MetricAsync("whetstone_inference_requests_total", [.. labels, $"outcome=\"{outcome}\""]));
        }
        Assert.Equal(0, await server.MetricAsync("whetstone_north_star_attempts_total", labels));
        Assert.Equal(0, await server.MetricAsync("whetstone_north_star_successes_total", labels));
        Assert.Equal(0, await server.MetricAsync("whetstone_inference_tokens_generated_total", labels));
        Assert.Equal(0, await server.MetricAsync("whetstone_inference_queue_depth", labels));
        Assert.Equal(0, await server.MetricAsync("whetstone_inference_requests_in_flight", labels));
        Assert.Null(await server.MetricAsync("whetstone_inference_request_duration_seconds_count", labels));
    }
}

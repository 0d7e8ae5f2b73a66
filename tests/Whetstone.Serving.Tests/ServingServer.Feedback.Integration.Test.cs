using System.Net;
using System.Text.Json.Nodes;
using Whetstone.ModelRuntime;

namespace Whetstone.Serving.Tests;

public sealed class ServingServerFeedbackIntegrationTest
{
    private static Task<TestServer> StartAsync(string track, string version, string? key = "shared-secret") =>
        TestServer.StartAsync(() => ModelLoader.LoadClassifier(TestModels.DigitsClassifier, new RuntimeOptions(Threads: 1)),
            new ServingOptions { FeedbackKey = key }, track, version);

    [Fact]
    public async Task Feedback_is_counted_on_the_track_that_served_the_request_whichever_replica_receives_it()
    {
        await using var stable = await (await StartAsync("stable", "1.2.0")).ReadyAsync();
        await using var canary = await (await StartAsync("canary", "1.3.0")).ReadyAsync();

        var canaryId = await PredictAsync(canary, "canary", "1.3.0");
        var stableId = await PredictAsync(stable, "stable", "1.2.0");
        Assert.Equal("canary", await SendFeedbackAsync(stable, canaryId, "success"));
        Assert.Equal("canary", await SendFeedbackAsync(stable, await PredictAsync(canary, "canary", "1.3.0"), "failure"));
        Assert.Equal("stable", await SendFeedbackAsync(canary, stableId, "success"));

        Assert.Equal(2, await stable.MetricAsync("whetstone_north_star_attempts_total", "track=\"canary\"", "version=\"1.3.0\""));
        Assert.Equal(1, await stable.MetricAsync("whetstone_north_star_successes_total", "track=\"canary\"", "version=\"1.3.0\""));
        Assert.Equal(0, await stable.MetricAsync("whetstone_north_star_attempts_total", "track=\"stable\""));
        Assert.Equal(1, await canary.MetricAsync("whetstone_north_star_attempts_total", "track=\"stable\"", "version=\"1.2.0\""));
        Assert.Equal(1, await canary.MetricAsync("whetstone_north_star_successes_total", "track=\"stable\""));
        Assert.Equal(0, await canary.MetricAsync("whetstone_north_star_attempts_total", "track=\"canary\""));
    }

    [Fact]
    public async Task Feedback_with_a_forged_or_foreign_request_id_or_a_bad_outcome_is_refused_naming_the_field()
    {
        await using var server = await (await StartAsync("stable", "1.2.0")).ReadyAsync();
        await using var foreign = await (await StartAsync("canary", "1.3.0", key: "another-secret")).ReadyAsync();
        var foreignId = await PredictAsync(foreign, "canary", "1.3.0");
        var forged = foreignId[..foreignId.LastIndexOf('.')];

        foreach (var (id, outcome, field) in new[] { (foreignId, "success", "requestId"), (forged, "success", "requestId"), ("abc", "success", "requestId"), (await PredictAsync(server, "stable", "1.2.0"), "maybe", "outcome") })
        {
            using var response = await server.PostAsync("/v1/feedback", new JsonObject { ["requestId"] = id, ["outcome"] = outcome });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.StartsWith(field + ":", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        Assert.Equal(0, await server.MetricAsync("whetstone_north_star_attempts_total", "track=\"canary\"") ?? 0);
    }

    private static async Task<string> PredictAsync(TestServer server, string track, string version)
    {
        var row = TestModels.DigitRows(1)[0];
        using var response = await server.PostAsync("/v1/predict", new JsonObject { ["inputs"] = new JsonArray(new JsonArray([.. row.Select(v => (JsonNode?)JsonValue.Create(v))])) });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(track, response.Headers.GetValues("x-whetstone-track").Single());
        Assert.Equal(version, response.Headers.GetValues("x-whetstone-version").Single());
        var id = response.Headers.GetValues("x-request-id").Single();
        Assert.Equal(id, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>());
        return id;
    }

    private static async Task<string> SendFeedbackAsync(TestServer server, string requestId, string outcome)
    {
        using var response = await server.PostAsync("/v1/feedback", new JsonObject { ["requestId"] = requestId, ["outcome"] = outcome });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["track"]!.GetValue<string>();
    }
}

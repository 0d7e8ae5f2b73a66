using System.Net;
using System.Text.Json.Nodes;
using Whetstone.ModelRuntime;

namespace Whetstone.Serving.Tests;

public sealed class ServingServerRateLimitIntegrationTest
{
    [Fact]
    public async Task A_client_over_its_rate_is_refused_with_429_while_another_client_is_served()
    {
        await using var server = await (await TestServer.StartAsync(
            () => ModelLoader.LoadClassifier(TestModels.DigitsClassifier, new RuntimeOptions(Threads: 1)),
            new ServingOptions { RateLimitPerSecond = 0.05, RateLimitBurst = 2 })).ReadyAsync();
        Assert.Equal(0, await server.MetricAsync("whetstone_inference_rate_limited_requests_total"));
        var row = new JsonObject { ["inputs"] = new JsonArray(new JsonArray([.. TestModels.DigitRows(1)[0].Select(v => (JsonNode?)JsonValue.Create(v))])) };

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add(await PredictAsync(server, row, "alice"));
        }
        var other = await PredictAsync(server, row, "bob");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, other);
        Assert.Equal(1, await server.MetricAsync("whetstone_inference_rate_limited_requests_total"));
        using var health = await server.Http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private static async Task<HttpStatusCode> PredictAsync(TestServer server, JsonObject body, string client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/predict", UriKind.Relative)) { Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("x-client-id", client);
        using var response = await server.Http.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
            Assert.Equal("rate_limited", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<string>());
        }
        return response.StatusCode;
    }
}

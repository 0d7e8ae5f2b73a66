using System.Net;
using System.Text.Json.Nodes;
using Whetstone.ModelRuntime;

namespace Whetstone.Serving.Tests;

public sealed class ServingServerReadinessIntegrationTest
{
    [Fact]
    public async Task Readyz_is_503_while_loading_and_warming_up_and_200_only_after_the_warm_up_batch_ran()
    {
        var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        PausableClassifier? model = null;
        await using var server = await TestServer.StartAsync(async ct =>
        {
            await loaded.Task.WaitAsync(ct);
            model = new PausableClassifier(ModelLoader.LoadClassifier(TestModels.DigitsClassifier, new RuntimeOptions(Threads: 1)));
            model.Pause();
            return model;
        });

        await AssertReadyzAsync(server, HttpStatusCode.ServiceUnavailable, "Loading");
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        using (var early = await server.PostAsync("/v1/predict", new JsonObject { ["inputs"] = new JsonArray(new JsonArray(0.0)) }))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, early.StatusCode);
        }

        loaded.SetResult();
        await Eventually.WaitAsync(() => model is { Batches: 1 });
        await AssertReadyzAsync(server, HttpStatusCode.ServiceUnavailable, "WarmingUp");

        model!.Resume();
        await server.ReadyAsync();
        await AssertReadyzAsync(server, HttpStatusCode.OK, "Ready");
        Assert.Equal(1, model.Batches);
    }

    private static async Task AssertReadyzAsync(TestServer server, HttpStatusCode status, string state)
    {
        using var response = await server.Http.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(state, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]!.GetValue<string>());
    }
}

using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Whetstone.Evaluation.Subjective;
using Whetstone.Worker.Tests.FineTuning;

namespace Whetstone.Worker.Tests.Evaluation;

// The model judge against a real OpenAI-compatible server: `whetstone-worker serve` on the committed tiny model. The
// tiny model is no assistant and never writes [[A]], [[B]] or [[C]], so every verdict is a parse failure; the test
// shows that they reach the measurement as counted failures, with the raw outputs kept, instead of being dropped.
public sealed class ServedJudgeIntegrationTest
{
    private static readonly SubjectiveItem[] Items =
    [
        SubjectiveFile.Parse("""{"id": "returns", "category": "knowledge", "prompt": "How long do I have to return boots?", "reference": "30 days.", "rubric": {"mustInclude": [["30 days"]]}}""", "t.jsonl", 1),
        SubjectiveFile.Parse("""{"id": "sorry", "category": "empathy", "prompt": "My parcel is late.", "reference": "Sorry to hear that.", "rubric": {"mustInclude": [["sorry"]]}}""", "t.jsonl", 2),
    ];

    [Fact]
    public async Task Unreadable_verdicts_from_a_real_server_are_counted_as_parse_failures()
    {
        var port = FreePort();
        using var server = new WorkerProcess(
            ["serve", "--model", RepositoryFiles.Combine("examples/models/tiny-llama"), "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--threads", "1", "--model-name", "tiny-judge"],
            new Dictionary<string, string>());
        var endpoint = new Uri($"http://127.0.0.1:{port}/v1");
        await WaitReadyAsync(endpoint, server);
        using var client = new OpenAiJudgeClient(endpoint, TimeSpan.FromSeconds(60));

        var (served, _) = await client.DescribeAsync(null, CancellationToken.None);
        var judgements = await new ModelJudge(client, served, 24, parallelRequests: 2).JudgeAsync(Items, ["Within 30 days.", "Sorry to hear that."], ["Any time.", "Ok."], CancellationToken.None);
        var (model, _) = ModelJudgeMeasurement.From("served", Items, ["Within 30 days.", "Sorry to hear that."], ["Any time.", "Ok."], judgements, SubjectiveScoringOptions.Default, new JudgeIdentity(endpoint, served, null, "file:///judge/", null), 24);

        Assert.Equal("tiny-judge", served);
        Assert.All(judgements, j => Assert.False(string.IsNullOrWhiteSpace(j.ModelFirstOutput + j.BaselineFirstOutput), "the server generated text"));
        Assert.All(judgements, j => Assert.DoesNotContain("[[", j.ModelFirstOutput + j.BaselineFirstOutput, StringComparison.Ordinal));
        var judge = model.Details["modelJudge"]!;
        Assert.Equal((4, 2, 0), (judge["parseFailures"]!.GetValue<int>(), judge["unparsedItems"]!.GetValue<int>(), judge["judged"]!.GetValue<int>()));
        Assert.Equal(judgements[1].BaselineFirstOutput, model.ItemRecords[1]["baselineFirst"]!["output"]!.GetValue<string>());
    }

    private static async Task WaitReadyAsync(Uri endpoint, WorkerProcess server)
    {
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(server.HasExited, server.Output);
            try
            {
                var models = await http.GetFromJsonAsync<JsonObject>(new Uri(endpoint, "v1/models"));
                if (models?["data"]?[0]?["ready"]?.GetValue<bool>() == true)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(250);
        }

        Assert.Fail("whetstone-worker serve was not ready within 120 s:\n" + server.Output);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }
}

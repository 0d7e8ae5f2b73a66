using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Whetstone.ModelRuntime;
using Whetstone.Serving.Auditing;
using Whetstone.Serving.Metrics;

namespace Whetstone.Serving.Tests;

/// <summary>The audit log of a real server: what a request leaves on disk, redacted, sampled and bounded.</summary>
public sealed class ServingServerAuditIntegrationTest : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("whetstone-audit-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_completion_is_logged_with_its_answer_and_without_the_personal_data_it_carried()
    {
        var path = Path.Combine(_root, "audit.jsonl");
        string answer;
        string requestId;
        await using (var server = await (await TestServer.StartAsync(
            () => ModelLoader.LoadLanguageModel(TestModels.TinyLlama, new RuntimeOptions(Threads: 1)),
            new ServingOptions { AuditLogPath = path, AuditSampleRate = 1 })).ReadyAsync())
        {
            var prompt = "Mail jane.doe@example.com or call +1 415 555 0132 about card 4111 1111 1111 1111";
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/completions") { Content = JsonContent.Create(new JsonObject { ["prompt"] = prompt, ["max_tokens"] = 6, ["temperature"] = 0 }) };
            request.Headers.Add("x-client-id", "customer-42");
            using var response = await server.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            answer = (await response.Content.ReadFromJsonAsync<JsonObject>())!["choices"]![0]!["text"]!.GetValue<string>();
            requestId = response.Headers.GetValues("x-request-id").Single();
            await Eventually.WaitAsync(async () => await server.MetricAsync("whetstone_audit_records_total", "result=\"written\"") == 1);
        }

        var text = await File.ReadAllTextAsync(path);
        var record = JsonNode.Parse(text.TrimEnd('\n'))!;
        Assert.Equal(requestId, record["requestId"]!.GetValue<string>());
        Assert.Equal("/v1/completions", record["endpoint"]!.GetValue<string>());
        Assert.Equal(200, record["status"]!.GetValue<int>());
        Assert.Equal("success", record["outcome"]!.GetValue<string>());
        Assert.Equal(answer, record["output"]!.GetValue<string>());
        var input = record["input"]!["prompt"]!.GetValue<string>();
        Assert.Equal("Mail [EMAIL] or call [PHONE] about card [BANK_CARD]", input);
        Assert.Equal(1, record["redactions"]!["email"]!.GetValue<int>());
        Assert.Equal(1, record["redactions"]!["bankCard"]!.GetValue<int>());
        Assert.StartsWith("sha256:", record["client"]!.GetValue<string>(), StringComparison.Ordinal);
        foreach (var secret in new[] { "jane.doe", "555 0132", "4111", "customer-42" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_refused_request_is_logged_with_its_status_and_no_answer()
    {
        var path = Path.Combine(_root, "audit.jsonl");
        await using (var server = await (await TestServer.StartAsync(
            () => ModelLoader.LoadClassifier(TestModels.DigitsClassifier, new RuntimeOptions(Threads: 1)),
            new ServingOptions { AuditLogPath = path, AuditSampleRate = 1 })).ReadyAsync())
        {
            using var response = await server.PostAsync("/v1/predict", new JsonObject { ["inputs"] = new JsonArray(new JsonArray(1, 2)) });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            await Eventually.WaitAsync(async () => await server.MetricAsync("whetstone_audit_records_total", "result=\"written\"") == 1);
        }

        var record = JsonNode.Parse((await File.ReadAllLinesAsync(path)).Single())!;
        Assert.Equal(400, record["status"]!.GetValue<int>());
        Assert.Equal("invalid", record["outcome"]!.GetValue<string>());
        Assert.Null(record["output"]);
    }

    [Fact]
    public async Task Sampling_follows_the_request_id_and_takes_the_configured_share()
    {
        using var meter = new ServingMeter("whetstone-audit-sampling-test", new ServingIdentity("r", "stable", "1"), () => 0);
        await using var log = new AuditLog(Path.Combine(_root, "sampled.jsonl"), 0.25, 1 << 20, meter, NullLogger.Instance);
        var ids = Enumerable.Range(0, 10_000).Select(i => $"stable-{i}").ToArray();

        var sampled = ids.Count(log.Samples);

        // Binomial(10,000, 0.25): standard deviation 43.3; 99.9 % of draws lie within ±3.3 of them.
        Assert.InRange(sampled, 2500 - 143, 2500 + 143);
        Assert.All(ids.Take(50), id => Assert.Equal(log.Samples(id), log.Samples(id)));
        await using var other = new AuditLog(Path.Combine(_root, "other.jsonl"), 0.25, 1 << 20, meter, NullLogger.Instance);
        Assert.Equal(ids.Select(log.Samples), ids.Select(other.Samples));
    }

    [Fact]
    public async Task The_file_rotates_before_it_passes_the_limit_so_at_most_twice_the_limit_is_on_disk()
    {
        const long limit = 64 << 10;
        var path = Path.Combine(_root, "bounded.jsonl");
        using var meter = new ServingMeter("whetstone-audit-rotation-test", new ServingIdentity("r", "stable", "1"), () => 0);
        await using (var log = new AuditLog(path, 1, limit, meter, NullLogger.Instance))
        {
            var big = new string('x', 3000);
            for (var i = 0; i < 100; i++)
            {
                log.Record(new AuditEntry(DateTimeOffset.UtcNow, $"stable-{i}", "/v1/completions", "client", 200, "success", 0.01, big, big));
                await Task.Delay(1);
            }
        }

        Assert.True(new FileInfo(path).Length <= limit, $"{new FileInfo(path).Length} bytes");
        Assert.True(new FileInfo(path + ".1").Length <= limit, $"{new FileInfo(path + ".1").Length} bytes");
        var kept = (await File.ReadAllLinesAsync(path + ".1")).Concat(await File.ReadAllLinesAsync(path)).Select(l => JsonNode.Parse(l)!["requestId"]!.GetValue<string>()).ToList();
        Assert.Equal("stable-99", kept[^1]);
        Assert.Equal(Enumerable.Range(100 - kept.Count, kept.Count).Select(i => $"stable-{i}"), kept);
    }
}

using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using Whetstone.Api.V1Alpha1;
using Whetstone.Schema;

namespace Whetstone.Reliability.Tests.Fuzzing;

/// <summary>
/// Sends fuzz cases to the API server as the requests clients send (create, server-side apply, update, merge patch)
/// and checks each answer against the contract: accepted and valid as stored, or a 4xx Status naming the field with
/// nothing stored; never a 5xx, a hang past <see cref="RequestBound"/> or a broken connection.
/// </summary>
public sealed class ManifestFuzzer(HttpClient http, IReadOnlyDictionary<string, CrdSchemaValidator> validators)
{
    /// <summary>How long one request may take.</summary>
    public static readonly TimeSpan RequestBound = TimeSpan.FromSeconds(15);

    /// <summary>The validators of the four kinds, compiled from the committed CRDs.</summary>
    public static IReadOnlyDictionary<string, CrdSchemaValidator> CompileValidators(IReadOnlyList<KindSeed> seeds) =>
        seeds.ToDictionary(s => s.Kind, s => CrdSchemaValidator.Compile(s.Schema), StringComparer.Ordinal);

    /// <summary>Sends <paramref name="fuzzCase"/> into <paramref name="ns"/> and judges the answer.</summary>
    public async Task<FuzzOutcome> RunAsync(FuzzCase fuzzCase, string ns)
    {
        try
        {
            return await SendAndJudgeAsync(fuzzCase, ns);
        }
        catch (TimeoutException e)
        {
            return new FuzzOutcome(fuzzCase, "http", false, 0, $"no answer within {RequestBound.TotalSeconds:0} s (hang): {e.Message}");
        }
        catch (HttpRequestException e)
        {
            return new FuzzOutcome(fuzzCase, "http", false, 0, $"the connection failed: {e.Message}");
        }
    }

    private async Task<FuzzOutcome> SendAndJudgeAsync(FuzzCase fuzzCase, string ns)
    {
        var collection = $"apis/whetstone.dev/v1alpha1/namespaces/{ns}/{fuzzCase.Plural}";
        var item = $"{collection}/{Uri.EscapeDataString(fuzzCase.Name)}";
        string? before = null;
        if (fuzzCase.Transport is FuzzTransport.Update or FuzzTransport.MergePatch)
        {
            var (code, text) = await SendAsync(HttpMethod.Post, collection, Encoding.UTF8.GetBytes(fuzzCase.Valid.ToJsonString()), "application/json");
            if (code != 201)
            {
                return new FuzzOutcome(fuzzCase, "http", false, code, $"the valid object to update was refused: {code} {Short(text)}");
            }
            before = (await SendAsync(HttpMethod.Get, item, null, null)).Text;
        }
        var strict = fuzzCase.Strict ? "fieldValidation=Strict" : "fieldValidation=Warn";
        var (method, path, contentType) = fuzzCase.Transport switch
        {
            FuzzTransport.CreateJson => (HttpMethod.Post, $"{collection}?{strict}", "application/json"),
            FuzzTransport.CreateYaml => (HttpMethod.Post, $"{collection}?{strict}", "application/yaml"),
            FuzzTransport.ServerSideApply => (HttpMethod.Patch, $"{item}?fieldManager=fuzz&{strict}", "application/apply-patch+yaml"),
            FuzzTransport.Update => (HttpMethod.Put, $"{item}?{strict}", "application/json"),
            _ => (HttpMethod.Patch, $"{item}?{strict}", "application/merge-patch+json"),
        };
        var (status, answer) = await SendAsync(method, path, fuzzCase.Body, contentType);
        if (Environment.GetEnvironmentVariable("WHETSTONE_FUZZ_TRACE") is { Length: > 0 } trace)
        {
            await File.AppendAllTextAsync(trace, $"#{fuzzCase.Id} {fuzzCase.Mutation} {fuzzCase.Transport} {fuzzCase.Description}: {status} {Short(answer)}\n");
        }
        var accepted = status is >= 200 and < 300;
        var problem = status >= 500 ? $"{status} {Short(answer)}"
            : accepted ? await CheckStoredAsync(fuzzCase, item)
            : status >= 400 ? CheckRejection(fuzzCase, status, answer, answer) ?? await CheckNothingStoredAsync(item, before)
            : $"unexpected status {status}";
        return new FuzzOutcome(fuzzCase, "http", accepted, status, problem);
    }

    /// <summary>Null when a 4xx Status keeps the contract: a Status body whose code is the HTTP code, naming the field when it must.</summary>
    public static string? CheckRejection(FuzzCase fuzzCase, int code, string statusText, string message)
    {
        if (fuzzCase.Expectation == FuzzExpectation.Accept)
        {
            return $"refused a case that must be accepted: {code} {Short(message)}";
        }
        if (code > 0)
        {
            JsonNode? status;
            try
            {
                status = JsonNode.Parse(statusText);
            }
            catch (JsonException)
            {
                return $"{code} without a Status body: {Short(statusText)}";
            }
            if (status?["kind"]?.GetValue<string>() != "Status" || status["code"]?.GetValue<int>() != code)
            {
                return $"{code} with a body that is not a Status of that code: {Short(statusText)}";
            }
            message = status["message"]?.GetValue<string>() + " " + string.Join(" ", status["details"]?["causes"]?.AsArray().Select(c => c?["field"]?.ToString()) ?? []);
        }
        var mustName = fuzzCase.Expectation is FuzzExpectation.RejectNamingField or FuzzExpectation.AcceptOrRejectNamingField;
        return mustName && !message.Contains(fuzzCase.FieldPath!, StringComparison.Ordinal)
            ? $"rejected without naming {fuzzCase.FieldPath}: {Short(message)}"
            : null;
    }

    /// <summary>Null when the object as stored is one the schema allows, defaults applied, that a typed client can read.</summary>
    public async Task<string?> CheckStoredAsync(FuzzCase fuzzCase, string item)
    {
        if (fuzzCase.Expectation == FuzzExpectation.RejectNamingField)
        {
            return $"accepted, but it must be refused naming {fuzzCase.FieldPath}";
        }
        var (code, text) = await SendAsync(HttpMethod.Get, item, null, null);
        if (code != 200)
        {
            return $"accepted, but reading it back answered {code} {Short(text)}";
        }
        JsonNode stored;
        try
        {
            stored = JsonNode.Parse(text)!;
            _ = Typed(fuzzCase.Kind, text);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            return $"accepted, but what is stored cannot be read by a typed client: {e.GetType().Name}: {Short(e.Message)}";
        }
        var outcome = validators[fuzzCase.Kind].Validate(stored, null, new SchemaValidationOptions(UnknownFieldHandling.Prune));
        if (!outcome.IsValid)
        {
            return $"accepted, but what is stored breaks the schema: {Short(string.Join("; ", outcome.Errors))}";
        }
        if (!JsonNode.DeepEquals(outcome.Object["spec"], stored["spec"]))
        {
            return "accepted, but what is stored is not what the schema allows (unknown fields kept or defaults missing)";
        }
        if (fuzzCase.MustBeAbsent is { } absent && FieldPaths.Get(stored, [.. absent.Split('.')]) is not null)
        {
            return $"accepted with the unknown field {absent} stored";
        }
        if (fuzzCase.ValuePath is { } path && !(FieldPaths.Get(stored, path) is JsonValue value && value.TryGetValue<string>(out var kept) && kept == fuzzCase.SentValue))
        {
            return $"accepted, but {FieldPaths.Format(path)} is not stored as sent";
        }
        return null;
    }

    /// <summary>Null when a refused write left nothing: the object absent, or the previous version unchanged.</summary>
    public async Task<string?> CheckNothingStoredAsync(string item, string? before)
    {
        var (code, text) = await SendAsync(HttpMethod.Get, item, null, null);
        return before is null
            ? code == (int)HttpStatusCode.NotFound ? null : $"refused, yet reading it answered {code} (partially stored)"
            : text == before ? null : "refused, yet the stored object changed";
    }

    private static object Typed(string kind, string json) => kind switch
    {
        "FineTuneJob" => KubernetesJson.Deserialize<FineTuneJob>(json),
        "CompressionJob" => KubernetesJson.Deserialize<CompressionJob>(json),
        "EvaluationRun" => KubernetesJson.Deserialize<EvaluationRun>(json),
        _ => KubernetesJson.Deserialize<ModelRollout>(json),
    };

    private async Task<(int Code, string Text)> SendAsync(HttpMethod method, string path, byte[]? body, string? contentType)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType!);
        }
        using var bound = new CancellationTokenSource(RequestBound);
        var started = Stopwatch.StartNew();
        try
        {
            using var response = await http.SendAsync(request, bound.Token);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(bound.Token));
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested)
        {
            throw new TimeoutException($"{method} {path} took over {started.Elapsed}");
        }
    }

    /// <summary>The first 300 characters of a message.</summary>
    public static string Short(string text) => text.Length > 300 ? text[..300] + "…" : text;
}

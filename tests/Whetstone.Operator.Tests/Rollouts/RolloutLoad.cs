using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Whetstone.Operator.Tests.Cluster;

namespace Whetstone.Operator.Tests.Rollouts;

/// <summary>
/// A bounded load generator for served rollouts: a few workers ask questions of whatever answers at <c>target</c>
/// (the gateway or a Service), greedy and short, each with a pause between requests and a cap on the total, and post
/// north-star feedback for every answer: <b>success when the answer is right</b>, so conversion in Prometheus is the
/// model's real quality. Counts answers, right answers and server errors (500, 504) per track (the
/// <c>x-whetstone-track</c> header).
/// </summary>
/// <remarks>
/// The questions are the simple facts of the shipped general benchmark (<c>examples/datasets/general-mc.jsonl</c>,
/// subject <c>facts</c>): the committed tiny model learned them in pre-training and answers 31 of 32 right, asked as
/// its corpus asks (<c>Question: …\nAnswer:</c>). An answer is right when its first sentence is the right choice.
/// The support questions would need a fine-tuned stable, which this fixture does not train (the demo does).
/// </remarks>
internal sealed class RolloutLoad : IAsyncDisposable
{
    private static readonly Lazy<IReadOnlyList<LoadQuestion>> Facts = new(ReadFacts);

    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, int> _answered = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _right = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _failed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTime> _firstFailure = new(StringComparer.Ordinal);
    private readonly Uri _target;
    private readonly Func<int, LoadQuestion> _question;
    private readonly int _limit;
    private readonly Task[] _workers;
    private int _sent;
    private int _feedback;
    private int _unanswered;

    private RolloutLoad(Uri target, Func<int, LoadQuestion> question, int workers, int limit, string? host)
    {
        _http.DefaultRequestHeaders.Host = host;
        _target = target;
        _question = question;
        _limit = limit;
        _workers = [.. Enumerable.Range(0, workers).Select(_ => Task.Run(RunAsync))];
    }

    /// <summary>The <paramref name="i"/>-th fact question, round robin.</summary>
    public static LoadQuestion Question(int i) => Facts.Value[i % Facts.Value.Count];

    /// <summary>
    /// Starts <paramref name="workers"/> workers sending at most <paramref name="limit"/> requests in all, with
    /// <paramref name="host"/> as the Host header when given (the gateway matches routes by hostname).
    /// </summary>
    public static RolloutLoad Start(Uri target, Func<int, LoadQuestion> question, int workers = 3, int limit = 20_000, string? host = null) =>
        new(target, question, workers, limit, host);

    /// <summary>Whether <paramref name="answer"/> (a completion of <c>Answer:</c>) gives <paramref name="right"/>: its first sentence, trimmed, equals it.</summary>
    public static bool IsRight(string answer, string right)
    {
        var line = answer.TrimStart().Split('\n')[0];
        var end = line.IndexOf('.', StringComparison.Ordinal);
        return string.Equals((end < 0 ? line : line[..end]).Trim(), right, StringComparison.OrdinalIgnoreCase);
    }

    public int Feedback => Volatile.Read(ref _feedback);

    public int Answered(string track) => _answered.GetValueOrDefault(track);

    /// <summary>Right answers from <paramref name="track"/> (feedback success).</summary>
    public int Right(string track) => _right.GetValueOrDefault(track);

    /// <summary>Answers 500 or 504 (what the server counts as outcome error) from <paramref name="track"/>.</summary>
    public int Failed(string track) => _failed.GetValueOrDefault(track);

    /// <summary>When <paramref name="track"/> first answered 500 or 504.</summary>
    public DateTime? FirstFailure(string track) => _firstFailure.TryGetValue(track, out var at) ? at : null;

    public override string ToString() =>
        $"sent {Volatile.Read(ref _sent)}; answered {string.Join(", ", _answered.Select(p => $"{p.Key} {p.Value} ({Right(p.Key)} right)"))}; server errors {string.Join(", ", _failed.Select(p => $"{p.Key} {p.Value}"))}; feedback {Feedback}; unanswered {Volatile.Read(ref _unanswered)}";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        _stop.Dispose();
        _http.Dispose();
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var n = Interlocked.Increment(ref _sent);
            if (n > _limit)
            {
                return;
            }

            try
            {
                await AskAsync(n);
                await Task.Delay(20, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
            {
                // Nothing answers yet (the Service has no ready pod, the route has no backend), or a pod stopped
                // mid-answer: try again shortly.
                Interlocked.Increment(ref _unanswered);
                await Task.Delay(200, CancellationToken.None);
            }
        }
    }

    private async Task AskAsync(int n)
    {
        var question = _question(n);
        var body = new JsonObject { ["prompt"] = question.Prompt, ["max_tokens"] = 6, ["temperature"] = 0 };
        using var response = await _http.PostAsJsonAsync(new Uri(_target, "/v1/completions"), body, _stop.Token);
        var track = response.Headers.TryGetValues("x-whetstone-track", out var tracks) ? tracks.Single() : "";
        if (response.StatusCode is System.Net.HttpStatusCode.InternalServerError or System.Net.HttpStatusCode.GatewayTimeout && track.Length > 0)
        {
            _firstFailure.TryAdd(track, DateTime.UtcNow);
            _failed.AddOrUpdate(track, 1, (_, c) => c + 1);
            return;
        }

        if (!response.IsSuccessStatusCode)
        {
            await Task.Delay(200, _stop.Token);
            return;
        }

        var answer = (await response.Content.ReadFromJsonAsync<JsonObject>(_stop.Token))!;
        _answered.AddOrUpdate(track, 1, (_, c) => c + 1);
        var text = answer["choices"]?[0]?["text"]?.GetValue<string>() ?? "";
        var right = IsRight(text, question.Answer);
        if (right)
        {
            _right.AddOrUpdate(track, 1, (_, c) => c + 1);
        }

        var feedback = new JsonObject { ["requestId"] = answer["id"]!.GetValue<string>(), ["outcome"] = right ? "success" : "failure" };
        using var posted = await _http.PostAsJsonAsync(new Uri(_target, "/v1/feedback"), feedback, _stop.Token);
        if (posted.IsSuccessStatusCode)
        {
            Interlocked.Increment(ref _feedback);
        }
    }

    private static List<LoadQuestion> ReadFacts() =>
        [.. File.ReadLines(Path.Combine(RepositoryPaths.Root, "examples", "datasets", "general-mc.jsonl"))
            .Select(line => JsonNode.Parse(line)!)
            .Where(record => record["subject"]!.GetValue<string>() == "facts")
            .Select(record => new LoadQuestion(
                $"Question: {record["question"]!.GetValue<string>()}\nAnswer:",
                record["choices"]![record["answer"]!.GetValue<int>()]!.GetValue<string>()))];
}

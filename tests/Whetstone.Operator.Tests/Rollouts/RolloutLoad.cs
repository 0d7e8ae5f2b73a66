using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Whetstone.Operator.Tests.Rollouts;

/// <summary>
/// A bounded load generator for served rollouts: a few workers ask short greedy completions of whatever answers at
/// <c>target</c> (the gateway or a Service), each with a pause between requests and a cap on the total, and post
/// north-star feedback for every answer (success when the model answered with text), so conversion in Prometheus
/// comes from real requests. Counts answers and server errors (500, 504) per track (the <c>x-whetstone-track</c> header).
/// </summary>
internal sealed class RolloutLoad : IAsyncDisposable
{
    private static readonly string[] Questions =
    [
        "How do I reset my password?",
        "Where is my order?",
        "Can I change the delivery address?",
        "How do I cancel my subscription?",
        "What is the refund policy?",
        "The app crashes when I log in.",
    ];

    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, int> _answered = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _failed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTime> _firstFailure = new(StringComparer.Ordinal);
    private readonly Uri _target;
    private readonly Func<int, string> _prompt;
    private readonly int _limit;
    private readonly Task[] _workers;
    private int _sent;
    private int _feedback;
    private int _unanswered;

    private RolloutLoad(Uri target, Func<int, string> prompt, int workers, int limit)
    {
        _target = target;
        _prompt = prompt;
        _limit = limit;
        _workers = [.. Enumerable.Range(0, workers).Select(_ => Task.Run(RunAsync))];
    }

    /// <summary>Plain support questions.</summary>
    public static string Question(int i) => Questions[i % Questions.Length];

    /// <summary>Starts <paramref name="workers"/> workers sending at most <paramref name="limit"/> requests in all.</summary>
    public static RolloutLoad Start(Uri target, Func<int, string> prompt, int workers = 3, int limit = 20_000) => new(target, prompt, workers, limit);

    public int Feedback => Volatile.Read(ref _feedback);

    public int Answered(string track) => _answered.GetValueOrDefault(track);

    /// <summary>Answers 500 or 504 (what the server counts as outcome error) from <paramref name="track"/>.</summary>
    public int Failed(string track) => _failed.GetValueOrDefault(track);

    /// <summary>When <paramref name="track"/> first answered 500 or 504.</summary>
    public DateTime? FirstFailure(string track) => _firstFailure.TryGetValue(track, out var at) ? at : null;

    public override string ToString() =>
        $"sent {Volatile.Read(ref _sent)}; answered {string.Join(", ", _answered.Select(p => $"{p.Key} {p.Value}"))}; server errors {string.Join(", ", _failed.Select(p => $"{p.Key} {p.Value}"))}; feedback {Feedback}; unanswered {Volatile.Read(ref _unanswered)}";

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
        var body = new JsonObject { ["prompt"] = _prompt(n), ["max_tokens"] = 4, ["temperature"] = 0 };
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
        var feedback = new JsonObject { ["requestId"] = answer["id"]!.GetValue<string>(), ["outcome"] = text.Trim().Length > 0 ? "success" : "failure" };
        using var posted = await _http.PostAsJsonAsync(new Uri(_target, "/v1/feedback"), feedback, _stop.Token);
        if (posted.IsSuccessStatusCode)
        {
            Interlocked.Increment(ref _feedback);
        }
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Whetstone.Evaluation.Tests.Subjective;

/// <summary>
/// A real HTTP server (HttpListener on loopback) speaking the OpenAI-compatible subset a judge needs:
/// <c>GET /v1/models</c> and <c>POST /v1/chat/completions</c>, the reply written by a script from the request's
/// messages. It keeps every chat request, so tests can count them and see which answer was shown first.
/// </summary>
internal sealed partial class ScriptedJudgeServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<JsonObject, string> _script;
    private readonly List<JsonObject> _requests = [];
    private int _failuresLeft;

    public ScriptedJudgeServer(Func<JsonObject, string> script, string modelName = "scripted-judge", int failFirstRequests = 0)
    {
        _script = script;
        _failuresLeft = failFirstRequests;
        ModelName = modelName;
        var port = FreePort();
        Endpoint = new Uri($"http://127.0.0.1:{port}/v1");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public Uri Endpoint { get; }

    public string ModelName { get; }

    /// <summary>The chat requests received, in arrival order.</summary>
    public IReadOnlyList<JsonObject> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Prefers the answer containing <paramref name="phrase"/>; a tie when both or neither contain it.</summary>
    public static Func<JsonObject, string> PreferAnswerContaining(string phrase) => request =>
    {
        var (a, b) = Answers(request);
        var inA = a.Contains(phrase, StringComparison.OrdinalIgnoreCase);
        var inB = b.Contains(phrase, StringComparison.OrdinalIgnoreCase);
        return inA == inB ? "Both answers are equally good. [[C]]" : inA ? "Assistant A states the required fact. [[A]]" : "Assistant B states the required fact. [[B]]";
    };

    /// <summary>Prefers the answer containing the rubric's first must-include term, read from the grading notes.</summary>
    public static string PreferRubricPhrase(JsonObject request)
    {
        var user = request["messages"]!.AsArray().Last()!["content"]!.GetValue<string>();
        return PreferAnswerContaining(MustState().Match(user).Groups[1].Value)(request);
    }

    /// <summary>Always prefers the answer shown first: a judge with pure position bias.</summary>
    public static string AlwaysFirst(JsonObject request) => "Assistant A is better. [[A]]";

    /// <summary>Never states a verdict in the expected format.</summary>
    public static string NoVerdict(JsonObject request) => "Both answers have merit; I cannot decide. Verdict: A";

    /// <summary>The two answers of a judge prompt (A, B), read back from the user message.</summary>
    public static (string A, string B) Answers(JsonObject request)
    {
        var user = request["messages"]!.AsArray().Last()!["content"]!.GetValue<string>();
        return (AnswerA().Match(user).Groups[1].Value, AnswerB().Match(user).Groups[1].Value);
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception error) when (error is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => Answer(context));
        }
    }

    private void Answer(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath;
        if (context.Request.HttpMethod == "GET" && path == "/v1/models")
        {
            Write(context, 200, new JsonObject { ["object"] = "list", ["data"] = new JsonArray(new JsonObject { ["id"] = ModelName, ["object"] = "model", ["version"] = "script-1" }) });
            return;
        }

        if (context.Request.HttpMethod != "POST" || path != "/v1/chat/completions")
        {
            Write(context, 404, new JsonObject { ["error"] = "not found" });
            return;
        }

        if (Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            Write(context, 503, new JsonObject { ["error"] = "overloaded, try again" });
            return;
        }

        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var request = JsonNode.Parse(reader.ReadToEnd())!.AsObject();
        lock (_requests)
        {
            _requests.Add(request);
        }

        var content = _script(request);
        Write(context, 200, new JsonObject
        {
            ["object"] = "chat.completion",
            ["model"] = ModelName,
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content }, ["finish_reason"] = "stop" }),
        });
    }

    private static void Write(HttpListenerContext context, int status, JsonNode body)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = bytes.Length;
        context.Response.OutputStream.Write(bytes);
        context.Response.Close();
    }

    [GeneratedRegex("- Must state: \"([^\"]+)\"")]
    private static partial Regex MustState();

    [GeneratedRegex(@"\[The Start of Assistant A's Answer\]\n(.*?)\n\[The End of Assistant A's Answer\]", RegexOptions.Singleline)]
    private static partial Regex AnswerA();

    [GeneratedRegex(@"\[The Start of Assistant B's Answer\]\n(.*?)\n\[The End of Assistant B's Answer\]", RegexOptions.Singleline)]
    private static partial Regex AnswerB();
}

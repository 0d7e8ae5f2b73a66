using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Whetstone.ML.Tokenization;

namespace Whetstone.Evaluation.Subjective;

/// <summary>
/// A judge model behind an OpenAI-compatible API: <c>GET {endpoint}/models</c> names it, <c>POST
/// {endpoint}/chat/completions</c> (greedy: temperature 0, seed 0) asks it. A 429 or 5xx reply, or a failed
/// connection, is retried twice with a short back-off; anything else fails with the endpoint named.
/// </summary>
public sealed class OpenAiJudgeClient : IDisposable
{
    private const int Attempts = 3;
    private readonly HttpClient _http;
    private readonly Uri _endpoint;

    /// <summary>A client for <paramref name="endpoint"/> (the base URL, ending in <c>/v1</c> for most servers).</summary>
    public OpenAiJudgeClient(Uri endpoint, TimeSpan requestTimeout)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _endpoint = new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/");
        _http = new HttpClient { Timeout = requestTimeout };
    }

    /// <summary>The endpoint's served model: <paramref name="requested"/> when it is listed (or the list is empty), else the first listed id.</summary>
    /// <exception cref="JudgeEndpointException">The endpoint is unreachable, lists no model, or does not list <paramref name="requested"/>.</exception>
    public async Task<(string Id, string? Version)> DescribeAsync(string? requested, CancellationToken cancellationToken)
    {
        var reply = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, new Uri(_endpoint, "models")), cancellationToken).ConfigureAwait(false);
        var models = reply["data"] as JsonArray ?? throw new JudgeEndpointException($"{_endpoint}models: the reply has no 'data' list");
        var listed = models.OfType<JsonObject>().Select(m => (Id: m["id"]?.GetValue<string>(), Version: m["version"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null))
            .Where(m => m.Id is not null).ToArray();
        if (requested is not null)
        {
            var match = listed.FirstOrDefault(m => m.Id == requested);
            return match.Id is not null ? (match.Id, match.Version)
                : throw new JudgeEndpointException($"{_endpoint}models lists {string.Join(", ", listed.Select(m => m.Id))}, not '{requested}'");
        }

        return listed.Length > 0 ? (listed[0].Id!, listed[0].Version) : throw new JudgeEndpointException($"{_endpoint}models lists no model");
    }

    /// <summary>The judge's reply to <paramref name="messages"/> (the first choice's message content).</summary>
    /// <exception cref="JudgeEndpointException">The endpoint failed after retries or replied in an unknown shape.</exception>
    public async Task<string> CompleteAsync(string model, IReadOnlyList<ChatMessage> messages, int maxTokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = new JsonArray([.. messages.Select(m => (JsonNode)new JsonObject { ["role"] = m.Role, ["content"] = m.Content })]),
            ["temperature"] = 0,
            ["seed"] = 0,
            ["max_tokens"] = maxTokens,
        };
        var reply = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, new Uri(_endpoint, "chat/completions")) { Content = JsonContent.Create(body) }, cancellationToken).ConfigureAwait(false);
        return reply["choices"] is JsonArray { Count: > 0 } choices && choices[0]?["message"]?["content"] is JsonValue content && content.TryGetValue<string>(out var text)
            ? text
            : throw new JudgeEndpointException($"{_endpoint}chat/completions: the reply has no choices[0].message.content");
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();

    private async Task<JsonNode> SendAsync(Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var message = request();
            try
            {
                using var response = await _http.SendAsync(message, cancellationToken).ConfigureAwait(false);
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    try
                    {
                        return JsonNode.Parse(text) ?? throw new JudgeEndpointException($"{message.RequestUri}: empty reply");
                    }
                    catch (JsonException error)
                    {
                        throw new JudgeEndpointException($"{message.RequestUri}: the reply is not JSON ({error.Message})", error);
                    }
                }

                if (!IsTransient(response.StatusCode) || attempt == Attempts)
                {
                    throw new JudgeEndpointException(string.Create(CultureInfo.InvariantCulture, $"{message.RequestUri}: HTTP {(int)response.StatusCode}: {Shorten(text)}"));
                }
            }
            catch (HttpRequestException) when (attempt < Attempts)
            {
                // a refused or dropped connection: retried below
            }
            catch (HttpRequestException error)
            {
                throw new JudgeEndpointException($"{message.RequestUri}: {error.Message}", error);
            }
            catch (TaskCanceledException error) when (!cancellationToken.IsCancellationRequested)
            {
                throw new JudgeEndpointException($"{message.RequestUri}: no reply within {_http.Timeout.TotalSeconds:0} s", error);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsTransient(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}

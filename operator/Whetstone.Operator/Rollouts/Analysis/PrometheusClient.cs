using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Whetstone.Operator.Rollouts.Analysis;

/// <summary>
/// Instant queries against Prometheus's HTTP API (<c>GET /api/v1/query</c>), each reduced to one value. A query must
/// aggregate to a single series (or a scalar); an empty vector and NaN are answers, not failures.
/// </summary>
public sealed class PrometheusClient(HttpClient http)
{
    /// <summary>Runs <paramref name="query"/> against the Prometheus at <paramref name="address"/>.</summary>
    public async Task<QueryResult> QueryAsync(string address, string query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(query);
        var uri = new Uri(new Uri(address.EndsWith('/') ? address : address + "/"), $"api/v1/query?query={Uri.EscapeDataString(query)}");
        JsonNode? body;
        try
        {
            using var response = await http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
            body = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
            if (body is null || (string?)body["status"] != "success")
            {
                var error = body?["error"]?.GetValue<string>() ?? $"HTTP {(int)response.StatusCode}";
                return QueryResult.Without(query, QueryProblems.QueryFailed, $"Prometheus at {address}: {error}");
            }
        }
        catch (HttpRequestException e)
        {
            return QueryResult.Without(query, QueryProblems.Unreachable, $"Prometheus at {address}: {e.Message}");
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            return QueryResult.Without(query, QueryProblems.Unreachable, $"Prometheus at {address} did not answer in time: {e.Message}");
        }

        return ReadValue(query, body["data"]);
    }

    /// <summary>Reduces the <c>data</c> of a query response to one value.</summary>
    internal static QueryResult ReadValue(string query, JsonNode? data)
    {
        var type = (string?)data?["resultType"];
        var result = data?["result"];
        switch (type)
        {
            case "scalar":
                return Sample(query, result);
            case "vector" when result is JsonArray { Count: 0 }:
                return QueryResult.Without(query, QueryProblems.EmptyResult, "the query returned an empty vector");
            case "vector" when result is JsonArray { Count: 1 } one:
                return Sample(query, one[0]?["value"]);
            case "vector" when result is JsonArray many:
                return QueryResult.Without(query, QueryProblems.Ambiguous, $"the query returned {many.Count} series; aggregate it to one (sum, avg, max)");
            default:
                return QueryResult.Without(query, QueryProblems.QueryFailed, $"the query returned a {type ?? "missing"} result; an instant vector or scalar is needed");
        }
    }

    private static QueryResult Sample(string query, JsonNode? pair)
    {
        // A sample is [unixTime, "value"]; Prometheus writes NaN and infinities as "NaN", "+Inf", "-Inf".
        var text = pair is JsonArray { Count: 2 } sample ? (string?)sample[1] : null;
        return text switch
        {
            "NaN" => QueryResult.Of(query, double.NaN),
            "+Inf" => QueryResult.Of(query, double.PositiveInfinity),
            "-Inf" => QueryResult.Of(query, double.NegativeInfinity),
            _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) => QueryResult.Of(query, value),
            _ => QueryResult.Without(query, QueryProblems.QueryFailed, $"unreadable sample {pair?.ToJsonString()}"),
        };
    }

    private static async Task<JsonNode?> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

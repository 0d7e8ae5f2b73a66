using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Whetstone.Serving.Http;

/// <summary>A JSON request body and typed reads of its fields; every refusal names the field.</summary>
internal sealed class RequestBody(JsonObject json)
{
    public JsonObject Json { get; } = json;

    public static async Task<RequestBody> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        try
        {
            var node = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
            return node is JsonObject json ? new RequestBody(json) : throw new RequestException(400, "the body must be a JSON object");
        }
        catch (JsonException error)
        {
            throw new RequestException(400, $"the body is not valid JSON: {error.Message}");
        }
        catch (BadHttpRequestException error) when (error.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new RequestException(413, $"the body is larger than the limit of {limit} bytes");
        }
    }

    public JsonNode? this[string field] => Json[field];

    public string RequireString(string field) =>
        Json[field] is JsonValue value && value.TryGetValue<string>(out var text)
            ? text
            : throw new RequestException(400, "required, a string", field);

    public string? OptionalString(string field) =>
        Json[field] switch
        {
            null => null,
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            _ => throw new RequestException(400, "must be a string", field),
        };

    public int OptionalInt(string field, int fallback, int min, int max) => OptionalNumber(field, fallback, min, max, "an integer");

    public double OptionalDouble(string field, double fallback, double min, double max) => OptionalNumber(field, fallback, min, max, "a number");

    public ulong? OptionalSeed(string field)
    {
        if (Json[field] is null)
        {
            return null;
        }
        if (Json[field] is JsonValue value && value.TryGetValue<long>(out var number))
        {
            return unchecked((ulong)number);
        }
        throw new RequestException(400, "must be an integer", field);
    }

    public bool OptionalBool(string field) =>
        Json[field] switch
        {
            null => false,
            JsonValue value when value.TryGetValue<bool>(out var flag) => flag,
            _ => throw new RequestException(400, "must be true or false", field),
        };

    /// <summary>OpenAI's <c>stop</c>: a string or an array of up to four strings.</summary>
    public IReadOnlyList<string> OptionalStops(string field)
    {
        switch (Json[field])
        {
            case null:
                return [];
            case JsonValue value when value.TryGetValue<string>(out var single):
                return [single];
            case JsonArray array when array.Count <= 4 && array.All(item => item is JsonValue v && v.TryGetValue<string>(out _)):
                return [.. array.Select(item => item!.GetValue<string>())];
            default:
                throw new RequestException(400, "must be a string or an array of at most 4 strings", field);
        }
    }

    private T OptionalNumber<T>(string field, T fallback, T min, T max, string what)
        where T : struct, INumber<T>
    {
        if (Json[field] is null)
        {
            return fallback;
        }
        if (Json[field] is JsonValue value && value.TryGetValue<T>(out var number) && number >= min && number <= max)
        {
            return number;
        }
        throw new RequestException(400, $"must be {what} from {min} to {max}", field);
    }
}

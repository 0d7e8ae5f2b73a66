using System.Text.Json;
using System.Text.Json.Serialization;

namespace Whetstone.ML.Models;

/// <summary>Reads a token id written as a number, null, or a list of numbers (Hugging Face allows several end tokens; the first is used).</summary>
internal sealed class TokenIdConverter : JsonConverter<int?>
{
    public override int? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
                return reader.GetInt32();
            case JsonTokenType.StartArray:
                int? first = null;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    first ??= reader.GetInt32();
                }
                return first;
            default:
                throw new JsonException($"a token id must be a number or a list of numbers, not {reader.TokenType}");
        }
    }

    public override void Write(Utf8JsonWriter writer, int? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } id)
        {
            writer.WriteNumberValue(id);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

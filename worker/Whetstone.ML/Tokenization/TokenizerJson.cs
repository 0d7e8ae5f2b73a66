using System.Text.Json;
using Whetstone.ML.Models;

namespace Whetstone.ML.Tokenization;

/// <summary>
/// Reads and writes the byte-level BPE subset of the Hugging Face <c>tokenizer.json</c> format: a BPE model
/// (vocab, merges as "a b" strings or [a, b] pairs), added tokens, and a ByteLevel pre-tokenizer (alone, or
/// after a regex Split as in Llama 3). Anything else is a <see cref="ModelFormatException"/> naming the field.
/// </summary>
public static class TokenizerJson
{
    /// <summary>Reads the definition from a file.</summary>
    public static BpeDefinition Read(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var document = JsonDocument.Parse(stream);
            return Parse(document.RootElement, path);
        }
        catch (JsonException error)
        {
            throw new ModelFormatException($"{path}: line {(error.LineNumber ?? 0) + 1}: {error.Message}", error);
        }
        catch (InvalidOperationException error)
        {
            throw new ModelFormatException($"{path}: {error.Message}", error);
        }
    }

    /// <summary>Writes the definition in the layout Hugging Face's tokenizers library writes.</summary>
    public static void Write(string path, BpeDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("version", "1.0");
        json.WriteNull("truncation");
        json.WriteNull("padding");
        json.WriteStartArray("added_tokens");
        foreach (var token in definition.AddedTokens)
        {
            json.WriteStartObject();
            json.WriteNumber("id", token.Id);
            json.WriteString("content", token.Content);
            json.WriteBoolean("single_word", false);
            json.WriteBoolean("lstrip", false);
            json.WriteBoolean("rstrip", false);
            json.WriteBoolean("normalized", false);
            json.WriteBoolean("special", token.Special);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteNull("normalizer");
        WritePreTokenizer(json, definition.SplitPattern);
        json.WriteNull("post_processor");
        json.WriteStartObject("decoder");
        json.WriteString("type", "ByteLevel");
        json.WriteBoolean("add_prefix_space", false);
        json.WriteBoolean("trim_offsets", true);
        json.WriteBoolean("use_regex", true);
        json.WriteEndObject();
        json.WriteStartObject("model");
        json.WriteString("type", "BPE");
        json.WriteNull("dropout");
        json.WriteNull("unk_token");
        json.WriteNull("continuing_subword_prefix");
        json.WriteNull("end_of_word_suffix");
        json.WriteBoolean("fuse_unk", false);
        json.WriteBoolean("byte_fallback", false);
        json.WriteStartObject("vocab");
        foreach (var (token, id) in definition.Vocabulary.OrderBy(entry => entry.Value))
        {
            json.WriteNumber(token, id);
        }
        json.WriteEndObject();
        json.WriteStartArray("merges");
        foreach (var (left, right) in definition.Merges)
        {
            json.WriteStringValue($"{left} {right}");
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WritePreTokenizer(Utf8JsonWriter json, string splitPattern)
    {
        json.WriteStartObject("pre_tokenizer");
        if (splitPattern == ByteLevelPattern.Gpt2)
        {
            WriteByteLevel(json, useRegex: true);
            json.WriteEndObject();
            return;
        }
        json.WriteString("type", "Sequence");
        json.WriteStartArray("pretokenizers");
        json.WriteStartObject();
        json.WriteString("type", "Split");
        json.WriteStartObject("pattern");
        json.WriteString("Regex", splitPattern);
        json.WriteEndObject();
        json.WriteString("behavior", "Isolated");
        json.WriteBoolean("invert", false);
        json.WriteEndObject();
        json.WriteStartObject();
        WriteByteLevel(json, useRegex: false);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteByteLevel(Utf8JsonWriter json, bool useRegex)
    {
        json.WriteString("type", "ByteLevel");
        json.WriteBoolean("add_prefix_space", false);
        json.WriteBoolean("trim_offsets", true);
        json.WriteBoolean("use_regex", useRegex);
    }

    private static BpeDefinition Parse(JsonElement root, string path)
    {
        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
        {
            throw new ModelFormatException($"{path}: no 'model' object");
        }
        if (model.TryGetProperty("type", out var type) && type.GetString() != "BPE")
        {
            throw new ModelFormatException($"{path}: model.type '{type.GetString()}' is not supported (only BPE)");
        }
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in Required(model, "vocab", JsonValueKind.Object, path).EnumerateObject())
        {
            vocabulary[entry.Name] = entry.Value.GetInt32();
        }
        var merges = new List<(string, string)>();
        foreach (var merge in Required(model, "merges", JsonValueKind.Array, path).EnumerateArray())
        {
            merges.Add(ParseMerge(merge, merges.Count, path));
        }
        var added = new List<AddedToken>();
        if (root.TryGetProperty("added_tokens", out var addedTokens) && addedTokens.ValueKind == JsonValueKind.Array)
        {
            foreach (var token in addedTokens.EnumerateArray())
            {
                added.Add(new AddedToken(
                    token.GetProperty("id").GetInt32(),
                    token.GetProperty("content").GetString()!,
                    token.TryGetProperty("special", out var special) && special.GetBoolean()));
            }
        }
        var pattern = ParseSplitPattern(root, path);
        return new BpeDefinition(vocabulary, merges, added, pattern);
    }

    private static (string, string) ParseMerge(JsonElement merge, int index, string path)
    {
        if (merge.ValueKind == JsonValueKind.String)
        {
            var parts = merge.GetString()!.Split(' ');
            if (parts.Length == 2)
            {
                return (parts[0], parts[1]);
            }
        }
        else if (merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2)
        {
            return (merge[0].GetString()!, merge[1].GetString()!);
        }
        throw new ModelFormatException($"{path}: model.merges[{index}] is not a pair of tokens");
    }

    private static string ParseSplitPattern(JsonElement root, string path)
    {
        if (!root.TryGetProperty("pre_tokenizer", out var preTokenizer) || preTokenizer.ValueKind != JsonValueKind.Object)
        {
            throw new ModelFormatException($"{path}: pre_tokenizer is missing; only byte-level BPE tokenizers are supported");
        }
        var kind = preTokenizer.GetProperty("type").GetString();
        if (kind == "ByteLevel")
        {
            RequireNoPrefixSpace(preTokenizer, path);
            return ByteLevelPattern.Gpt2;
        }
        if (kind == "Sequence" && preTokenizer.TryGetProperty("pretokenizers", out var steps) && steps.GetArrayLength() == 2
            && steps[0].GetProperty("type").GetString() == "Split"
            && steps[0].TryGetProperty("pattern", out var splitPattern) && splitPattern.TryGetProperty("Regex", out var regex)
            && steps[1].GetProperty("type").GetString() == "ByteLevel")
        {
            RequireNoPrefixSpace(steps[1], path);
            return regex.GetString()!;
        }
        throw new ModelFormatException($"{path}: pre_tokenizer type '{kind}' is not supported (ByteLevel, or Sequence of Split and ByteLevel)");
    }

    private static void RequireNoPrefixSpace(JsonElement byteLevel, string path)
    {
        if (byteLevel.TryGetProperty("add_prefix_space", out var prefix) && prefix.ValueKind == JsonValueKind.True)
        {
            throw new ModelFormatException($"{path}: pre_tokenizer add_prefix_space true is not supported");
        }
    }

    private static JsonElement Required(JsonElement parent, string name, JsonValueKind kind, string path) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == kind
            ? value
            : throw new ModelFormatException($"{path}: model.{name} is missing or not a JSON {kind.ToString().ToUpperInvariant()}");
}

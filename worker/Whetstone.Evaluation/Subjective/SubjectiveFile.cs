using System.Globalization;
using System.Text.Json;
using Whetstone.Datasets;
using Whetstone.ML.Tokenization;

namespace Whetstone.Evaluation.Subjective;

/// <summary>
/// Reads a subjective JSONL file, one record a line:
/// <c>{"id"?, "category", "prompt": "text" | [{"role", "content", "name"?}, …], "reference", "rubric": {"mustInclude"?: [["a", "synonym"], …],
/// "mustNotInclude"?: ["…"], "bonus"?: [["…"], …], "mustRefuse"?: false, "toolCall"?: {"name", "arguments"?: {…}}}}</c>.
/// A group may be written as one string. Roles are system, user and assistant; a message's <c>name</c> (multi-party
/// dialogue) is put before its content as <c>Name: </c>; the last message must be the user's. A rubric checks at
/// least one thing (mustInclude, mustRefuse or toolCall); a toolCalling record needs a toolCall. A bad record fails
/// with the file, the line and the field.
/// </summary>
public static class SubjectiveFile
{
    private static readonly HashSet<string> RecordFields = ["id", "category", "prompt", "reference", "rubric"];
    private static readonly HashSet<string> RubricFields = ["mustInclude", "mustNotInclude", "bonus", "mustRefuse", "toolCall"];
    private static readonly HashSet<string> MessageFields = ["role", "content", "name"];
    private static readonly HashSet<string> ToolCallFields = ["name", "arguments"];

    /// <summary>Reads the records of <paramref name="path"/>, stopping after <paramref name="limit"/> when given.</summary>
    /// <exception cref="DatasetFormatException">A line read is not a valid subjective record.</exception>
    public static IReadOnlyList<SubjectiveItem> Read(string path, int? limit = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var name = Path.GetFileName(path);
        var items = new List<SubjectiveItem>();
        foreach (var (line, lineNumber) in JsonlRecord.Lines(path))
        {
            if (items.Count == limit)
            {
                break;
            }

            items.Add(Parse(line, name, lineNumber));
        }

        return items;
    }

    /// <summary>Parses one line (<paramref name="lineNumber"/> of <paramref name="file"/>).</summary>
    /// <exception cref="DatasetFormatException">The line is not a valid subjective record.</exception>
    public static SubjectiveItem Parse(string line, string file, int lineNumber)
    {
        DatasetFormatException Error(string message) => new(file, lineNumber, message);
        var root = JsonlRecord.ParseObject(line, file, lineNumber);
        CheckFields(root, RecordFields, "", Error);
        var category = root.TryGetProperty("category", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : throw Error("field 'category' must be a string");
        if (!SubjectiveCategories.IsKnown(category))
        {
            throw Error($"field 'category' must be one of {string.Join(", ", SubjectiveCategories.All)}; got '{category}'");
        }

        var id = root.TryGetProperty("id", out var i)
            ? i.ValueKind == JsonValueKind.String && i.GetString() is { Length: > 0 } text ? text : throw Error("field 'id' must be a non-empty string")
            : string.Create(CultureInfo.InvariantCulture, $"line-{lineNumber}");
        var reference = root.TryGetProperty("reference", out var r) && r.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(r.GetString())
            ? r.GetString()!
            : throw Error("field 'reference' must be a non-empty string");
        var prompt = ReadPrompt(root, Error);
        if (!root.TryGetProperty("rubric", out var rubric) || rubric.ValueKind != JsonValueKind.Object)
        {
            throw Error("field 'rubric' must be an object");
        }

        return new SubjectiveItem(id, category, prompt, reference, ReadRubric(rubric, category, Error));
    }

    private static List<ChatMessage> ReadPrompt(JsonElement root, Func<string, DatasetFormatException> error)
    {
        if (!root.TryGetProperty("prompt", out var prompt))
        {
            throw error("field 'prompt' is required (a string or an array of messages)");
        }

        if (prompt.ValueKind == JsonValueKind.String)
        {
            return !string.IsNullOrWhiteSpace(prompt.GetString()) ? [new ChatMessage("user", prompt.GetString()!)] : throw error("field 'prompt' must not be empty");
        }

        if (prompt.ValueKind != JsonValueKind.Array || prompt.GetArrayLength() == 0)
        {
            throw error("field 'prompt' must be a non-empty string or a non-empty array of messages");
        }

        var messages = new List<ChatMessage>();
        foreach (var (message, index) in prompt.EnumerateArray().Select((m, n) => (m, n)))
        {
            var field = string.Create(CultureInfo.InvariantCulture, $"prompt[{index}]");
            if (message.ValueKind != JsonValueKind.Object)
            {
                throw error($"field '{field}' must be an object with 'role' and 'content'");
            }

            CheckFields(message, MessageFields, field + ".", error);
            var role = message.TryGetProperty("role", out var ro) && ro.ValueKind == JsonValueKind.String && ro.GetString() is "system" or "user" or "assistant"
                ? ro.GetString()!
                : throw error($"field '{field}.role' must be system, user or assistant");
            var content = message.TryGetProperty("content", out var co) && co.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(co.GetString())
                ? co.GetString()!
                : throw error($"field '{field}.content' must be a non-empty string");
            if (message.TryGetProperty("name", out var na))
            {
                content = (na.ValueKind == JsonValueKind.String && na.GetString() is { Length: > 0 } speaker ? speaker : throw error($"field '{field}.name' must be a non-empty string")) + ": " + content;
            }

            messages.Add(new ChatMessage(role, content));
        }

        return messages[^1].Role == "user"
            ? messages
            : throw error(string.Create(CultureInfo.InvariantCulture, $"field 'prompt[{messages.Count - 1}].role' must be user: the model answers the last message"));
    }

    private static SubjectiveRubric ReadRubric(JsonElement rubric, string category, Func<string, DatasetFormatException> error)
    {
        CheckFields(rubric, RubricFields, "rubric.", error);
        var mustInclude = Groups(rubric, "mustInclude", error);
        var bonus = Groups(rubric, "bonus", error);
        var mustNotInclude = new List<string>();
        if (rubric.TryGetProperty("mustNotInclude", out var not))
        {
            mustNotInclude.AddRange(Terms(not, "rubric.mustNotInclude", error));
        }

        var mustRefuse = rubric.TryGetProperty("mustRefuse", out var refuse)
            ? refuse.ValueKind is JsonValueKind.True or JsonValueKind.False ? refuse.GetBoolean() : throw error("field 'rubric.mustRefuse' must be true or false")
            : false;
        ExpectedToolCall? toolCall = null;
        if (rubric.TryGetProperty("toolCall", out var call))
        {
            if (call.ValueKind != JsonValueKind.Object)
            {
                throw error("field 'rubric.toolCall' must be an object with 'name' and 'arguments'");
            }

            CheckFields(call, ToolCallFields, "rubric.toolCall.", error);
            var name = call.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String && n.GetString() is { Length: > 0 } tool ? tool : throw error("field 'rubric.toolCall.name' must be a non-empty string");
            var arguments = call.TryGetProperty("arguments", out var a)
                ? a.ValueKind == JsonValueKind.Object ? a.Clone() : throw error("field 'rubric.toolCall.arguments' must be an object")
                : JsonDocument.Parse("{}").RootElement.Clone();
            toolCall = new ExpectedToolCall(name, arguments);
        }

        if (mustInclude.Count == 0 && !mustRefuse && toolCall is null)
        {
            throw error("field 'rubric' checks nothing: give mustInclude, mustRefuse or toolCall");
        }

        if (category == SubjectiveCategories.ToolCalling && toolCall is null)
        {
            throw error("field 'rubric.toolCall' is required for category toolCalling");
        }

        return new SubjectiveRubric(mustInclude, mustNotInclude, bonus, mustRefuse, toolCall);
    }

    private static List<IReadOnlyList<string>> Groups(JsonElement rubric, string field, Func<string, DatasetFormatException> error)
    {
        var groups = new List<IReadOnlyList<string>>();
        if (!rubric.TryGetProperty(field, out var value))
        {
            return groups;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw error($"field 'rubric.{field}' must be an array of synonym groups (arrays of strings)");
        }

        foreach (var (group, index) in value.EnumerateArray().Select((g, n) => (g, n)))
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"rubric.{field}[{index}]");
            groups.Add(group.ValueKind == JsonValueKind.String ? Terms(JsonDocument.Parse($"[{group.GetRawText()}]").RootElement, name, error) : Terms(group, name, error));
        }

        return groups;
    }

    private static IReadOnlyList<string> Terms(JsonElement value, string field, Func<string, DatasetFormatException> error)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0
            || value.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(t.GetString())))
        {
            throw error($"field '{field}' must be a non-empty array of non-empty strings");
        }

        return [.. value.EnumerateArray().Select(t => t.GetString()!)];
    }

    private static void CheckFields(JsonElement value, IReadOnlySet<string> known, string prefix, Func<string, DatasetFormatException> error)
    {
        foreach (var property in value.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                throw error($"field '{prefix}{property.Name}' is not known; expected {string.Join(", ", known.Select(k => prefix + k))}");
            }
        }
    }
}

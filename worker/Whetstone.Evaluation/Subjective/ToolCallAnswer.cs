using System.Text.Json;

namespace Whetstone.Evaluation.Subjective;

/// <summary>
/// Reads the tool call in an answer: the first JSON object in the text that has a string <c>name</c> (text around it
/// is ignored). Its <c>arguments</c> is an object, or a string holding one (the OpenAI wire form); missing, it is
/// the empty object. Two calls are equal when the names are equal (ordinal) and the arguments are structurally
/// equal (<see cref="JsonElement.DeepEquals"/>: object key order ignored, numbers compared by value).
/// </summary>
public static class ToolCallAnswer
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>The tool call in <paramref name="answer"/>, or null when it holds none.</summary>
    public static ExpectedToolCall? Parse(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        for (var start = answer.IndexOf('{', StringComparison.Ordinal); start >= 0; start = answer.IndexOf('{', start + 1))
        {
            if (ObjectEnd(answer, start) is not { } end)
            {
                continue;
            }

            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(answer.AsMemory(start, end - start + 1));
                root = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                continue;
            }

            if (root.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String && Arguments(root) is { } arguments)
            {
                return new ExpectedToolCall(name.GetString()!, arguments);
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="actual"/> calls the same tool with structurally equal arguments.</summary>
    public static bool Matches(ExpectedToolCall expected, ExpectedToolCall? actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        return actual is not null
            && string.Equals(expected.Name, actual.Name, StringComparison.Ordinal)
            && JsonElement.DeepEquals(expected.Arguments, actual.Arguments);
    }

    private static JsonElement? Arguments(JsonElement call)
    {
        if (!call.TryGetProperty("arguments", out var arguments))
        {
            return EmptyObject;
        }

        if (arguments.ValueKind == JsonValueKind.Object)
        {
            return arguments;
        }

        if (arguments.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            using var inner = JsonDocument.Parse(arguments.GetString()!);
            return inner.RootElement.ValueKind == JsonValueKind.Object ? inner.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // The index of the brace closing the object opened at start (braces in strings skipped), or null.
    private static int? ObjectEnd(string text, int start)
    {
        var depth = 0;
        var inString = false;
        for (var i = start; i < text.Length; i++)
        {
            var ch = text[i];
            if (inString)
            {
                if (ch == '\\')
                {
                    i++;
                }
                else if (ch == '"')
                {
                    inString = false;
                }

                continue;
            }

            if (ch == '"')
            {
                inString = true;
            }
            else if (ch == '{')
            {
                depth++;
            }
            else if (ch == '}' && --depth == 0)
            {
                return i;
            }
        }

        return null;
    }
}

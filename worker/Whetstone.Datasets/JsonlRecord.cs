using System.Text.Json;

namespace Whetstone.Datasets;

/// <summary>One line of a JSONL file read as a JSON object, with errors that name the file and the line.</summary>
public static class JsonlRecord
{
    /// <summary>The non-blank lines of the file at <paramref name="path"/> with their 1-based line numbers, read lazily.</summary>
    public static IEnumerable<(string Line, int LineNumber)> Lines(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                yield return (line, lineNumber);
            }
        }
    }

    /// <summary>
    /// Parses <paramref name="line"/> (line <paramref name="lineNumber"/> of <paramref name="file"/>) into a detached
    /// JSON object.
    /// </summary>
    /// <exception cref="DatasetFormatException">The line is not JSON, or not a JSON object.</exception>
    public static JsonElement ParseObject(string line, string file, int lineNumber)
    {
        ArgumentNullException.ThrowIfNull(line);
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(line);
            root = document.RootElement.Clone();
        }
        catch (JsonException error)
        {
            throw new DatasetFormatException(file, lineNumber, $"not valid JSON: {error.Message}", error);
        }

        return root.ValueKind == JsonValueKind.Object
            ? root
            : throw new DatasetFormatException(file, lineNumber, "a record must be a JSON object");
    }
}

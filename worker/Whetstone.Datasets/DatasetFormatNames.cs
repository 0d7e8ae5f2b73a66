namespace Whetstone.Datasets;

/// <summary>Maps <see cref="DatasetFormat"/> to and from the names used in api.md.</summary>
public static class DatasetFormatNames
{
    private static readonly (DatasetFormat Format, string Name)[] Names =
    [
        (DatasetFormat.Chat, "chat"),
        (DatasetFormat.Instruction, "instruction"),
        (DatasetFormat.Text, "text"),
        (DatasetFormat.Classification, "classification"),
        (DatasetFormat.MultipleChoice, "multipleChoice"),
    ];

    /// <summary>The api.md name of <paramref name="format"/>, e.g. <c>multipleChoice</c>.</summary>
    public static string ToName(this DatasetFormat format) => Names.First(entry => entry.Format == format).Name;

    /// <summary>Parses an api.md format name; throws <see cref="DatasetOptionsException"/> naming <paramref name="field"/>.</summary>
    public static DatasetFormat Parse(string name, string field = "spec.dataset.format")
    {
        foreach (var (format, formatName) in Names)
        {
            if (string.Equals(formatName, name, StringComparison.Ordinal))
            {
                return format;
            }
        }

        throw new DatasetOptionsException(
            field, $"unsupported format \"{name}\" (expected {string.Join(", ", Names.Select(entry => entry.Name))})");
    }
}

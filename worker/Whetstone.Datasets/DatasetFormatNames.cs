namespace Whetstone.Datasets;

/// <summary>Maps <see cref="DatasetFormat"/> to and from the names used in api.md.</summary>
public static class DatasetFormatNames
{
    private static readonly ApiNames<DatasetFormat> Names = new(
        (DatasetFormat.Chat, "chat"),
        (DatasetFormat.Instruction, "instruction"),
        (DatasetFormat.Text, "text"),
        (DatasetFormat.Classification, "classification"),
        (DatasetFormat.MultipleChoice, "multipleChoice"));

    /// <summary>The api.md name of <paramref name="format"/>, e.g. <c>multipleChoice</c>.</summary>
    public static string ToName(this DatasetFormat format) => Names.ToName(format);

    /// <summary>Parses an api.md format name; throws <see cref="DatasetOptionsException"/> naming <paramref name="field"/>.</summary>
    public static DatasetFormat Parse(string name, string field = "spec.dataset.format") => Names.Parse(name, field, "format");
}

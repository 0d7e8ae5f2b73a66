using System.Text.Json;

namespace Whetstone.Datasets.Records;

/// <summary>Plain text: <c>{"text": "…"}</c>.</summary>
/// <param name="Text">The text.</param>
public sealed record TextRecord(string Text) : DatasetRecord
{
    /// <inheritdoc />
    public override DatasetFormat Format => DatasetFormat.Text;

    /// <inheritdoc />
    public override IEnumerable<string> TextFields => [Text];

    /// <summary>Empty when the text is blank.</summary>
    public override bool IsEmpty => string.IsNullOrWhiteSpace(Text);

    /// <inheritdoc />
    public override DatasetRecord MapText(Func<string, string> map) => new TextRecord(map(Text));

    /// <inheritdoc />
    public override void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("text", Text);
        writer.WriteEndObject();
    }
}

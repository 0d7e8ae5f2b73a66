using System.Text.Json;

namespace Whetstone.Datasets.Records;

/// <summary>A text and its class: <c>{"text": "…", "label": "refund"}</c>.</summary>
/// <param name="Text">The text to classify.</param>
/// <param name="Label">The class name; never rewritten by preprocessing.</param>
public sealed record ClassificationRecord(string Text, string Label) : DatasetRecord
{
    /// <inheritdoc />
    public override DatasetFormat Format => DatasetFormat.Classification;

    /// <inheritdoc />
    public override IEnumerable<string> TextFields => [Text];

    /// <summary>Empty when the text or the label is blank.</summary>
    public override bool IsEmpty => string.IsNullOrWhiteSpace(Text) || string.IsNullOrWhiteSpace(Label);

    /// <inheritdoc />
    public override DatasetRecord MapText(Func<string, string> map) => this with { Text = map(Text) };

    /// <inheritdoc />
    public override void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("text", Text);
        writer.WriteString("label", Label);
        writer.WriteEndObject();
    }
}

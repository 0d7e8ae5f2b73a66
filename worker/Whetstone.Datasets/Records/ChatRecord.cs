using System.Text.Json;

namespace Whetstone.Datasets.Records;

/// <summary>A conversation: <c>{"messages": [{"role": "user", "content": "…"}, …]}</c>.</summary>
/// <param name="Messages">The messages in order; at least one is from the assistant.</param>
public sealed record ChatRecord(IReadOnlyList<ChatMessage> Messages) : DatasetRecord
{
    /// <inheritdoc />
    public override DatasetFormat Format => DatasetFormat.Chat;

    /// <inheritdoc />
    public override IEnumerable<string> TextFields => Messages.Select(message => message.Content);

    /// <summary>Empty when no user message or no assistant message has any non-blank content.</summary>
    public override bool IsEmpty =>
        !Messages.Any(message => message.Role == ChatRole.User && !string.IsNullOrWhiteSpace(message.Content))
        || !Messages.Any(message => message.Role == ChatRole.Assistant && !string.IsNullOrWhiteSpace(message.Content));

    /// <inheritdoc />
    public override DatasetRecord MapText(Func<string, string> map) =>
        new ChatRecord(Messages.Select(message => message with { Content = map(message.Content) }).ToArray());

    /// <inheritdoc />
    public override void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteStartArray("messages");
        foreach (var message in Messages)
        {
            writer.WriteStartObject();
            writer.WriteString("role", message.RoleName);
            writer.WriteString("content", message.Content);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}

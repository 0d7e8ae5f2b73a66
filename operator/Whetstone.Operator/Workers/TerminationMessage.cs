using System.Text.Json;
using System.Text.Json.Serialization;

namespace Whetstone.Operator.Workers;

/// <summary>
/// The worker's last word, written to its termination message file: <c>{"reason":"Diverged","message":"…"}</c>.
/// The operator copies the reason into the job's Failed condition. Plain text (for example the last log lines
/// under FallbackToLogsOnError) is kept as the message with reason WorkerFailed.
/// </summary>
public sealed record TerminationMessage
{
    /// <summary>The PascalCase reason.</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; init; }

    /// <summary>The human message.</summary>
    [JsonPropertyName("message")]
    public string? Message { get; init; }

    /// <summary>Reads a termination message; never throws.</summary>
    public static TerminationMessage Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new TerminationMessage();
        }

        var trimmed = text.Trim();
        if (trimmed.StartsWith('{'))
        {
            try
            {
                return JsonSerializer.Deserialize<TerminationMessage>(trimmed) ?? new TerminationMessage { Message = trimmed };
            }
            catch (JsonException)
            {
                // Not ours: fall through and keep the text.
            }
        }

        return new TerminationMessage { Message = trimmed };
    }

    /// <summary>Serializes for the worker side.</summary>
    public string ToJson() => JsonSerializer.Serialize(this);
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Whetstone.Api.Workers;

/// <summary>
/// The worker's last word, written to its termination message file: <c>{"reason":"Diverged","message":"…"}</c>.
/// The worker writes it with a reason from <see cref="ConditionReasons"/>; the operator copies the reason into the
/// job's Failed condition. Plain text (for example the last log lines under FallbackToLogsOnError) is kept as the
/// message with no reason.
/// </summary>
public sealed record WorkerTerminationMessage
{
    /// <summary>The file Kubernetes reads when the pod names no other.</summary>
    public const string DefaultPath = "/dev/termination-log";

    /// <summary>Kubernetes keeps at most 4096 bytes of a termination message; longer messages are cut to this many characters.</summary>
    public const int MaxMessageChars = 3500;

    /// <summary>The PascalCase reason.</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; init; }

    /// <summary>The human message.</summary>
    [JsonPropertyName("message")]
    public string? Message { get; init; }

    /// <summary>Reads a termination message; never throws.</summary>
    public static WorkerTerminationMessage Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new WorkerTerminationMessage();
        }

        var trimmed = text.Trim();
        if (trimmed.StartsWith('{'))
        {
            try
            {
                return JsonSerializer.Deserialize<WorkerTerminationMessage>(trimmed) ?? new WorkerTerminationMessage { Message = trimmed };
            }
            catch (JsonException)
            {
                // Not ours: fall through and keep the text.
            }
        }

        return new WorkerTerminationMessage { Message = trimmed };
    }

    /// <summary>Serializes as the worker writes it, the message cut to <see cref="MaxMessageChars"/>.</summary>
    public string ToJson() => JsonSerializer.Serialize(this with { Message = Message is { Length: > MaxMessageChars } text ? text[..MaxMessageChars] : Message });
}

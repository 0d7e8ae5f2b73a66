using System.Text.Json;
using System.Text.Json.Serialization;

namespace Whetstone.Worker.FineTuning;

/// <summary>
/// The worker's last word, in the shape the operator's TerminationMessage reads: <c>{"reason":"Diverged","message":"…"}</c>,
/// written to <c>$WHETSTONE_TERMINATION_MESSAGE_PATH</c>, else to <c>/dev/termination-log</c> when that can be written.
/// </summary>
internal sealed record WorkerTerminationMessage(
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("message")] string Message)
{
    public const string PathVariable = "WHETSTONE_TERMINATION_MESSAGE_PATH";
    public const string DefaultPath = "/dev/termination-log";

    // Kubernetes keeps at most 4096 bytes of a termination message.
    private const int MaxMessageChars = 3500;

    /// <summary>Writes the message; a missing or unwritable default path is not an error (standalone runs have none).</summary>
    public void Write()
    {
        var configured = Environment.GetEnvironmentVariable(PathVariable);
        var path = string.IsNullOrEmpty(configured) ? DefaultPath : configured;
        if (string.IsNullOrEmpty(configured) && !File.Exists(DefaultPath))
        {
            return;
        }

        var text = JsonSerializer.Serialize(this with { Message = Message.Length > MaxMessageChars ? Message[..MaxMessageChars] : Message });
        try
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            File.WriteAllText(path, text);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"could not write the termination message to {path}: {error.Message}");
        }
    }
}

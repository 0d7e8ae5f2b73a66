using Whetstone.Api.Workers;

namespace Whetstone.Worker.Jobs;

/// <summary>
/// Writes the worker's <see cref="WorkerTerminationMessage"/> to <c>$WHETSTONE_TERMINATION_MESSAGE_PATH</c>, else to
/// <see cref="WorkerTerminationMessage.DefaultPath"/> when that exists (standalone runs have neither).
/// </summary>
internal static class TerminationMessageFile
{
    /// <summary>Writes the message; a missing or unwritable default path is not an error.</summary>
    public static void Write(WorkerTerminationMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var configured = Environment.GetEnvironmentVariable(WorkerEnvironmentVariables.TerminationMessagePath);
        if (string.IsNullOrEmpty(configured) && !File.Exists(WorkerTerminationMessage.DefaultPath))
        {
            return;
        }

        var path = string.IsNullOrEmpty(configured) ? WorkerTerminationMessage.DefaultPath : configured;
        try
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            File.WriteAllText(path, message.ToJson());
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"could not write the termination message to {path}: {error.Message}");
        }
    }
}

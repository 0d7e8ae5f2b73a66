using System.Text.Json.Nodes;
using Whetstone.Worker.Tests.FineTuning;

namespace Whetstone.Worker.Tests.Evaluation;

/// <summary>Runs <c>whetstone-worker evaluate --task</c> in <paramref name="Directory"/> as a child process, one thread.</summary>
internal static class EvaluateProcess
{
    /// <summary>Writes <paramref name="task"/> there, runs it, and returns the exit code, output, status file and termination message.</summary>
    public static async Task<(int Exit, string Output, JsonObject? Status, string? Termination)> RunAsync(string directory, string task, TimeSpan timeout)
    {
        var taskPath = Path.Combine(directory, "task.yaml");
        await File.WriteAllTextAsync(taskPath, task);
        var statusPath = Path.Combine(directory, "status.json");
        var termination = Path.Combine(directory, "termination-log");
        using var worker = new WorkerProcess(
            ["evaluate", "--task", taskPath, "--status-file", statusPath, "--work-dir", Path.Combine(directory, "work")],
            new Dictionary<string, string> { ["WHETSTONE_TERMINATION_MESSAGE_PATH"] = termination, ["WHETSTONE_TORCH_THREADS"] = "1" });
        var exit = await worker.WaitAsync(timeout);
        var status = File.Exists(statusPath) ? JsonNode.Parse(await File.ReadAllTextAsync(statusPath))!.AsObject() : null;
        return (exit, worker.Output, status, File.Exists(termination) ? await File.ReadAllTextAsync(termination) : null);
    }
}

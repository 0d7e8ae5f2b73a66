using Whetstone.LocalCluster.Node.Kubelet;

namespace Whetstone.LocalCluster.Tests.Node.Kubelet;

/// <summary>Runs real processes: the process-group and log behaviour is what a container runtime must get right.</summary>
public sealed class ContainerProcessTest : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("whetstone-process-").FullName;

    private static Dictionary<string, string> Environment() => new() { ["PATH"] = "/usr/bin:/bin", ["GREETING"] = "hello" };

    [Fact]
    public async Task Stdout_and_stderr_go_to_the_log_and_the_exit_code_is_reported()
    {
        var log = Path.Combine(_directory, "main.log");
        using var process = ContainerProcess.Start("/bin/sh", ["-c", "echo $GREETING; echo oops >&2; exit 3"], Environment(), _directory, log);

        var exitCode = await process.Exited.WaitAsync(TimeSpan.FromSeconds(30));
        await process.ReapAsync();

        Assert.Equal(3, exitCode);
        var lines = await File.ReadAllLinesAsync(log);
        Assert.Contains("hello", lines);
        Assert.Contains("oops", lines);
    }

    [Fact]
    public async Task Stopping_sends_SIGTERM_to_the_whole_process_group_first()
    {
        var log = Path.Combine(_directory, "main.log");
        // The handler prints more than a pipe holds before its last line, so that line is still in the pipe when the
        // shell exits: the stop must drain the output, not just see the exit.
        var script = "trap 'seq 1 50000; echo got SIGTERM; exit 0' TERM; echo started; while true; do sleep 1; done";
        using var process = ContainerProcess.Start("/bin/sh", ["-c", script], Environment(), _directory, log);
        await WaitForLineAsync(log, "started");

        var exitCode = await process.StopAsync(TimeSpan.FromSeconds(20)).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, exitCode);
        Assert.Contains("got SIGTERM", await File.ReadAllLinesAsync(log));
    }

    [Fact]
    public async Task A_process_that_ignores_SIGTERM_is_killed_after_the_grace_period()
    {
        var log = Path.Combine(_directory, "main.log");
        using var process = ContainerProcess.Start("/bin/sh", ["-c", "trap '' TERM; echo started; while true; do sleep 1; done"], Environment(), _directory, log);
        await WaitForLineAsync(log, "started");

        var exitCode = await process.StopAsync(TimeSpan.FromSeconds(1)).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(137, exitCode);
    }

    private static async Task WaitForLineAsync(string log, string line)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(File.Exists(log) && (await File.ReadAllLinesAsync(log)).Contains(line)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"'{line}' never appeared in {log}");
            await Task.Delay(50);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

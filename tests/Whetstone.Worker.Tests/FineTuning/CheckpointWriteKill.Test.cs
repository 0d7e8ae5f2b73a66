namespace Whetstone.Worker.Tests.FineTuning;

/// <summary>
/// The real worker SIGKILLed while it writes a checkpoint (the moment a staging directory appears beside the committed
/// checkpoints): the half-written checkpoint must never be resumed from, the next run resumes from the last complete
/// one, removes the leftover, and ends with exactly the adapter an uninterrupted run produces.
/// </summary>
public sealed class CheckpointWriteKillTest
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_worker_killed_mid_checkpoint_write_resumes_from_the_last_complete_checkpoint_and_matches_an_uninterrupted_run()
    {
        using var scenario = new FineTuneScenario(records: 24);
        scenario.WriteTask(epochs: 3, checkpointEverySteps: 1);
        var checkpoints = Path.Combine(scenario.JobFolder, "checkpoints");

        using (var reference = scenario.Start())
        {
            Assert.True(await reference.WaitAsync(RunTimeout) == 0, reference.Output);
        }

        var (referenceAdapter, totalSteps) = AdapterAndSteps(scenario);
        Directory.Delete(scenario.OutputDirectory, recursive: true);
        File.Delete(scenario.StatusPath);

        string[] staged;
        string[] committedAtKill;
        using (var first = scenario.Start())
        {
            var deadline = DateTime.UtcNow + RunTimeout;
            // Checkpoints come every step, so a write is soon caught in its staging directory. The worker is frozen
            // (SIGSTOP) the moment one is seen; if the write is still unfinished it is SIGKILLed there, otherwise it
            // goes on (SIGCONT) to the next write. A tiny model's checkpoint takes milliseconds to write.
            var caught = 0;
            while (true)
            {
                if (Directory.Exists(checkpoints) && Directory.GetDirectories(checkpoints, ".staging-*", SearchOption.AllDirectories).Length > 0
                    && Directory.GetDirectories(checkpoints, "checkpoint-*", SearchOption.AllDirectories).Length > 0)
                {
                    await SignalAsync(first.Id, "STOP");
                    caught++;
                    if (Directory.GetDirectories(checkpoints, ".staging-*", SearchOption.AllDirectories).Length > 0)
                    {
                        first.Kill();
                        break;
                    }

                    await SignalAsync(first.Id, "CONT");
                }

                Assert.False(first.HasExited, $"the worker ended before a checkpoint write was caught:\n{first.Output}");
                Assert.True(DateTime.UtcNow < deadline, first.Output);
                await Task.Delay(1);
            }

            await first.WaitAsync(RunTimeout);
            staged = Directory.GetDirectories(checkpoints, ".staging-*", SearchOption.AllDirectories);
            committedAtKill = [.. Directory.GetDirectories(checkpoints, "checkpoint-*", SearchOption.AllDirectories).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
        }

        // The kill landed inside a write: its staging directory is left behind, and no model was published.
        Assert.NotEmpty(staged);
        Assert.NotEmpty(committedAtKill);
        Assert.False(File.Exists(Path.Combine(scenario.JobFolder, "model", "manifest.json")));
        var lastComplete = committedAtKill[^1];

        using var second = scenario.Start();
        Assert.True(await second.WaitAsync(RunTimeout) == 0, second.Output);
        // Resumed from the last checkpoint committed before the kill, never from the half-written one.
        Assert.Contains("resuming from checkpoint", second.Output, StringComparison.Ordinal);
        // (The output is wrapped at the console width: a long path may span two lines.)
        Assert.Contains(lastComplete, second.Output.Replace("\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(checkpoints, ".staging-*", SearchOption.AllDirectories));
        var (adapter, steps) = AdapterAndSteps(scenario);
        Assert.Equal(totalSteps, steps);
        Assert.Equal(referenceAdapter, adapter);
    }

    private static async Task SignalAsync(int processId, string signal)
    {
        using var kill = System.Diagnostics.Process.Start("kill", [$"-{signal}", processId.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
    }

    private static (string Adapter, long TotalSteps) AdapterAndSteps(FineTuneScenario scenario)
    {
        using var status = scenario.ReadJson(scenario.StatusPath);
        var root = status.RootElement;
        return (root.GetProperty("artifacts").GetProperty("adapter").GetProperty("digest").GetString()!, root.GetProperty("progress").GetProperty("totalSteps").GetInt64());
    }
}

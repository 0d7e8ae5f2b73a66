using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Whetstone.Artifacts;
using Whetstone.Reliability.Tests.Results;

namespace Whetstone.Reliability.Tests.Storage;

/// <summary>
/// A full artifact store (<c>file://</c>) and a full scratch directory under the real <c>whetstone-worker finetune</c>:
/// the attempt fails <c>StorageFull</c> naming where and how many bytes, nothing half-written is visible, and the next
/// attempt (room again) removes what the interrupted writes left and ends with the weights of an uninterrupted run.
/// The limit is a tmpfs where this process may mount, else a file-size limit (<see cref="StorageLimit"/>); the row says
/// which ran.
/// </summary>
public sealed class DiskFullIntegrationTest(UninterruptedRun reference) : IClassFixture<UninterruptedRun>
{
    private const long TwoMebibytes = 2L * 1024 * 1024;
    private const long SixtyFourKibibytes = 64L * 1024;

    [Fact]
    public async Task A_full_artifact_store_fails_the_attempt_StorageFull_with_nothing_half_written_and_the_next_attempt_finishes()
    {
        using var workspace = new FineTuneWorkspace();
        // A 2 MiB tmpfs holds the dataset, the checkpoints and the adapter but not the 3.4 MB merged model: the store
        // fills while the model is published. A 64 KiB file-size limit cannot spare the scratch copy of that model, so
        // it hits the store earlier, at the first checkpoint's optimizer state (115 KB) written in place.
        using var limit = StorageLimit.Create(workspace.StoreDirectory, TwoMebibytes, SixtyFourKibibytes);
        await RunFaultAsync(workspace, limit, "artifact store",
            nameof(A_full_artifact_store_fails_the_attempt_StorageFull_with_nothing_half_written_and_the_next_attempt_finishes),
            expectedLocation: workspace.StoreDirectory);
    }

    [Fact]
    public async Task A_full_scratch_directory_fails_the_attempt_StorageFull_naming_the_folder_and_the_next_attempt_finishes()
    {
        using var workspace = new FineTuneWorkspace();
        // Either way the first write past 2 MiB is the merged model staged in scratch before its upload.
        using var limit = StorageLimit.Create(workspace.WorkDirectory, TwoMebibytes, TwoMebibytes);
        await RunFaultAsync(workspace, limit, "scratch directory",
            nameof(A_full_scratch_directory_fails_the_attempt_StorageFull_naming_the_folder_and_the_next_attempt_finishes),
            expectedLocation: workspace.WorkDirectory);
    }

    [Fact]
    public async Task Leftovers_of_writers_killed_mid_write_are_removed_by_the_next_attempt()
    {
        using var workspace = new FineTuneWorkspace();
        var big = Path.Combine(workspace.WorkDirectory, "big.bin");
        await File.WriteAllBytesAsync(big, RandomNumberGenerator.GetBytes(8 * 1024 * 1024));
        var key = $"{FineTuneWorkspace.JobName}/model/model.safetensors";

        // Without the trap SIGXFSZ kills the writer at the exact write that passes the limit: a real kill mid-write.
        // First an attempt in its first checkpoint (64 KiB), then an upload into the job's prefix (8 MiB streamed,
        // killed at 2 MiB); in the other order the attempt would already remove the upload's leftover.
        var attempt = await workspace.RunAttemptAsync("ulimit -f 128; ");
        var upload = await workspace.RunWorkerAsync("ulimit -f 4096; ", ["artifacts", "put", big, new Uri(Path.Combine(workspace.StoreDirectory, key)).AbsoluteUri]);
        var before = await StoreAudit.OfAsync(workspace.StoreDirectory, FineTuneWorkspace.JobName);

        var next = await workspace.RunAttemptAsync();
        var after = await StoreAudit.OfAsync(workspace.StoreDirectory, FineTuneWorkspace.JobName);
        var digest = await UninterruptedRun.AdapterDigestIn(workspace.StoreDirectory);
        var removedLines = RemovalsIn(next.Output);
        var sameWeights = digest == reference.AdapterDigest;
        var recovered = next.ExitCode == 0 && after.Leftovers == 0 && after.Published && sameWeights;
        ReliabilityResults.Record(new ReliabilityRow(
            "Writers killed mid-write by SIGXFSZ (a file-size limit without the trap): a fine-tune attempt in its first checkpoint, then an 8 MiB upload into the job's prefix; the next attempt runs with room",
            $"{nameof(DiskFullIntegrationTest)}.{nameof(Leftovers_of_writers_killed_mid_write_are_removed_by_the_next_attempt)}",
            $"the attempt ended with status {attempt.ExitCode} and the upload with {upload.ExitCode} (128 + 25: SIGXFSZ); they left {before}; " +
            $"the next attempt exited {next.ExitCode} and said: {string.Join(" / ", removedLines)}; afterwards: {after}; adapter weights equal to an uninterrupted run's: {sameWeights}",
            Recovered: recovered,
            Lost: after.FailingKeys.Count > 0 || before.FailingKeys.Count > 0 || !sameWeights,
            new Dictionary<string, double>
            {
                ["leftoversBefore"] = before.Leftovers,
                ["leftoversAfter"] = after.Leftovers,
                ["failingKeys"] = before.FailingKeys.Count + after.FailingKeys.Count,
                ["nextAttemptSeconds"] = Math.Round(next.Seconds, 1),
            }));

        Assert.Equal(153, upload.ExitCode);
        Assert.Equal(153, attempt.ExitCode);
        Assert.Single(before.Temporaries);
        Assert.Single(before.StagingCheckpoints);
        Assert.DoesNotContain(key, before.VisibleKeys);
        Assert.Empty(before.FailingKeys);
        Assert.True(next.ExitCode == 0, next.Output);
        Assert.Contains(removedLines, l => l.Contains("1 temporary object(s)", StringComparison.Ordinal));
        Assert.Contains(removedLines, l => l.Contains("removed 1 unfinished checkpoint folder(s)", StringComparison.Ordinal));
        Assert.Equal(0, after.Leftovers);
        Assert.Empty(after.FailingKeys);
        Assert.True(after.Published);
        Assert.Equal(reference.AdapterDigest, digest);
    }

    // The worker's console wraps long lines; its "removed …" sentences, each on one line again.
    private static List<string> RemovalsIn(string output) =>
        Regex.Matches(OneLine(output), @"removed (leftovers of interrupted writes|\d+ unfinished checkpoint folder).*?(incomplete upload\(s\)|interrupted attempt)")
            .Select(m => m.Value)
            .ToList();

    private static string OneLine(string output) => Regex.Replace(output, @"\s+", " ");

    private async Task RunFaultAsync(FineTuneWorkspace workspace, StorageLimit limit, string place, string test, string expectedLocation)
    {
        var full = await workspace.RunAttemptAsync(limit.ShellPrefix);
        var (reason, message) = FineTuneWorkspace.ParseTermination(full.TerminationMessage);
        var audit = await StoreAudit.OfAsync(workspace.StoreDirectory, FineTuneWorkspace.JobName);
        limit.Lift();
        var next = await workspace.RunAttemptAsync();
        var after = await StoreAudit.OfAsync(workspace.StoreDirectory, FineTuneWorkspace.JobName);
        var digest = await UninterruptedRun.AdapterDigestIn(workspace.StoreDirectory);
        var sameWeights = digest == reference.AdapterDigest;
        var stackTrace = full.Output.Contains("   at ", StringComparison.Ordinal);
        var resumed = OneLine(next.Output).Contains("resuming from checkpoint", StringComparison.Ordinal);
        var removed = RemovalsIn(next.Output);
        var recovered = reason == "StorageFull" && next.ExitCode == 0 && after.Published && after.Leftovers == 0 && sameWeights;
        ReliabilityResults.Record(new ReliabilityRow(
            $"Disk full in the worker's {place} during a fine-tune ({limit.Mechanism}); the next attempt runs with room",
            $"{nameof(DiskFullIntegrationTest)}.{test}",
            string.Create(CultureInfo.InvariantCulture,
                $"the attempt exited {full.ExitCode} after {full.Seconds:F1}s, reason {reason}: {message}; stack trace printed: {stackTrace}; the store then held {audit}; " +
                $"the next attempt exited {next.ExitCode} ({(resumed ? "resumed from its latest complete checkpoint" : "started afresh")}{(removed.Count > 0 ? "; " + string.Join(" / ", removed) : "")}); afterwards: {after}; " +
                $"adapter weights equal to an uninterrupted run's: {sameWeights}"),
            Recovered: recovered,
            Lost: audit.FailingKeys.Count > 0 || after.FailingKeys.Count > 0 || !sameWeights,
            new Dictionary<string, double>
            {
                ["limitBytes"] = limit.Bytes,
                ["tmpfs"] = limit.IsMounted ? 1 : 0,
                ["failingKeys"] = audit.FailingKeys.Count + after.FailingKeys.Count,
                ["leftoversAfterFailure"] = audit.Leftovers,
                ["leftoversAfterNextAttempt"] = after.Leftovers,
                ["completeCheckpointsAfterFailure"] = audit.CompleteCheckpoints,
                ["secondsToFail"] = Math.Round(full.Seconds, 1),
            }));

        Assert.True(full.ExitCode == 1, full.Output);
        Assert.Equal("StorageFull", reason);
        Assert.NotNull(message);
        Assert.Contains(expectedLocation, message, StringComparison.Ordinal);
        Assert.Matches(@"[\d,]+ bytes written when it failed", message);
        Assert.False(stackTrace, full.Output);
        Assert.Empty(audit.FailingKeys);
        Assert.False(audit.Published);
        Assert.True(next.ExitCode == 0, next.Output);
        Assert.Empty(after.FailingKeys);
        Assert.Equal(0, after.Leftovers);
        Assert.True(after.Published);
        Assert.Equal(reference.AdapterDigest, digest);
    }
}

using System.Diagnostics;
using System.Globalization;
using k8s;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Reliability.Tests.Cluster;
using Whetstone.Reliability.Tests.Operators;
using Whetstone.Reliability.Tests.Results;

namespace Whetstone.Reliability.Tests.Storage;

/// <summary>
/// The disk-full fault end to end: a FineTuneJob in the embedded default, one operator process, and the real worker
/// in its pods, whose first attempt runs under a 64 KiB file-size limit (<see cref="ControlPlane.FileSizeLimitedWorkerImage"/>):
/// that attempt fails <c>StorageFull</c> in its first checkpoint, the operator says so in the job's status and retries
/// (StorageFull is not a permanent failure), and the second attempt removes the unfinished checkpoint and succeeds.
/// </summary>
public sealed class DiskFullThroughOperatorIntegrationTest(ControlPlane cluster) : IClassFixture<ControlPlane>
{
    private static readonly LeaseTimings Timings = new(TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(500));
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    private static readonly Dictionary<string, string> Settings = new(StringComparer.Ordinal)
    {
        ["Whetstone:Workers:Image"] = ControlPlane.FileSizeLimitedWorkerImage,
        ["Whetstone:Workers:RetryBaseDelay"] = "00:00:01",
    };

    [Fact]
    public async Task A_job_whose_first_attempt_fills_its_storage_shows_StorageFull_is_retried_and_succeeds_with_nothing_left_behind()
    {
        var ns = await cluster.NewNamespaceAsync();
        var folder = Directory.CreateTempSubdirectory("whetstone-storage-e2e-");
        try
        {
            using var workspace = new FineTuneWorkspace();
            var output = Path.Combine(folder.FullName, "out");
            Directory.CreateDirectory(output);
            await using var replica = OperatorReplica.Start(cluster.KubeconfigPath, "replica-a", $"disk-{Guid.NewGuid():N}"[..16], Timings, Settings);
            await cluster.CreateTinyFineTuneJobAsync(ns, "full", workspace.DatasetPath, output, backoffLimit: 2);
            var clock = Stopwatch.StartNew();
            var seen = new SortedDictionary<string, string>(StringComparer.Ordinal);
            FineTuneJob job;
            while (true)
            {
                job = (await cluster.ReadJobsAsync(ns))["full"];
                foreach (var condition in job.Status?.Conditions ?? [])
                {
                    if (condition.Reason == ConditionReasons.StorageFull)
                    {
                        seen[$"{job.Status!.Phase}/{condition.Type}"] = condition.Message ?? "";
                    }
                }

                if (job.Status?.Phase is JobPhases.Succeeded or JobPhases.Failed)
                {
                    break;
                }

                Assert.True(clock.Elapsed < Patience, $"the job did not finish within {Patience}: {job.Status?.Phase}\n{replica.Tail()}");
                await Task.Delay(250);
            }

            var uid = job.Metadata.Uid;
            var log = await ReadLogAsync(ns, job.Status!.WorkerPod);
            var events = await cluster.Client.CoreV1.ListNamespacedEventAsync(ns);
            var retrying = events.Items.Where(e => e.Message?.Contains("EFBIG", StringComparison.Ordinal) == true)
                .Select(e => e.Reason).Distinct().ToList();
            var audit = await StoreAudit.OfAsync(output, $"{uid}/g{job.Metadata.Generation}");
            var cleaned = log.Contains("removed 1 unfinished checkpoint folder(s)", StringComparison.Ordinal);
            var succeeded = job.Status.Phase == JobPhases.Succeeded;
            ReliabilityResults.Record(new ReliabilityRow(
                "Disk full through the operator: a FineTuneJob's first worker attempt under a 64 KiB file-size limit (the real worker in the embedded node's pod)",
                $"{nameof(DiskFullThroughOperatorIntegrationTest)}.{nameof(A_job_whose_first_attempt_fills_its_storage_shows_StorageFull_is_retried_and_succeeds_with_nothing_left_behind)}",
                string.Create(CultureInfo.InvariantCulture,
                    $"while it waited to retry, the job's status said reason StorageFull on {string.Join(", ", seen.Keys)}: {seen.Values.FirstOrDefault()}; events naming it: {string.Join(", ", retrying)}; the job ended {job.Status.Phase} after {job.Status.Attempts} attempts in {clock.Elapsed.TotalSeconds:F1}s; " +
                    $"the last attempt removed the unfinished checkpoint: {cleaned}; the store afterwards: {audit}"),
                Recovered: succeeded && cleaned && audit.Leftovers == 0,
                Lost: audit.FailingKeys.Count > 0,
                new Dictionary<string, double>
                {
                    ["attempts"] = job.Status.Attempts ?? 0,
                    ["secondsToSucceeded"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
                    ["leftoversAfter"] = audit.Leftovers,
                    ["failingKeys"] = audit.FailingKeys.Count,
                }));

            Assert.Contains(seen.Values, s => s.Contains("a checkpoint in", StringComparison.Ordinal) && s.Contains("bytes written when it failed", StringComparison.Ordinal));
            Assert.Equal(JobPhases.Succeeded, job.Status.Phase);
            Assert.Equal(2, job.Status.Attempts);
            Assert.True(cleaned, log);
            Assert.Equal(0, audit.Leftovers);
            Assert.Empty(audit.FailingKeys);
            Assert.True(audit.Published);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private async Task<string> ReadLogAsync(string ns, string? pod)
    {
        if (pod is null)
        {
            return "";
        }

        using var stream = await cluster.Client.CoreV1.ReadNamespacedPodLogAsync(pod, ns);
        using var reader = new StreamReader(stream);
        return System.Text.RegularExpressions.Regex.Replace(await reader.ReadToEndAsync(), @"\s+", " ");
    }
}

using System.Diagnostics;
using System.Globalization;
using k8s;
using Whetstone.Api;
using Whetstone.Reliability.Tests.Cluster;
using Whetstone.Reliability.Tests.Results;

namespace Whetstone.Reliability.Tests.Operators;

/// <summary>
/// The embedded API server stopped and started again (same port, same data) three times while a real operator process
/// and the local node have their watches open and FineTuneJobs run. The restarted server keeps no watch history, so
/// every informer's next watch gets 410 Gone and must relist; pods finish while the server is down, so the node's
/// status updates and the operator's events must survive the gap. Every job must finish, with one worker pod per
/// attempt and the status one uninterrupted operator leaves, and no job may wait long after its last worker ended.
/// </summary>
public sealed class ApiServerRestartIntegrationTest(ControlPlane cluster) : IClassFixture<ControlPlane>
{
    private const int JobsPerRestart = 2;
    private static readonly TimeSpan[] Downtimes = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(6)];
    private static readonly LeaseTimings Timings = new(TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(500));
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Longest a finished worker may wait for its job to say Succeeded: the longest downtime plus the informers' and the
    /// node's back-off. It also catches a lost event, since nothing resyncs a job periodically and such a job would never
    /// finish. (Until the API server ended its watches on stopping, a stop waited out the host's 30 s graceful timeout
    /// for a watch reopened while it stopped, and jobs waited up to 35 s.)
    /// </summary>
    private static readonly TimeSpan StallTarget = TimeSpan.FromSeconds(15);

    private static readonly Dictionary<string, string> Settings = new(StringComparer.Ordinal)
    {
        ["Whetstone:Workers:Image"] = ControlPlane.SlowWorkerImage,
        ["Whetstone:Workers:RetryBaseDelay"] = "00:00:01",
        ["Logging:LogLevel:Whetstone.Operator.Informer"] = "Information",
    };

    [Fact]
    public async Task Restarting_the_API_server_three_times_under_open_watches_loses_no_event_and_stalls_no_job()
    {
        var ns = await cluster.NewNamespaceAsync();
        await using var podLog = await PodCreationLog.StartAsync(cluster.Client, ns);
        await using var replica = OperatorReplica.Start(cluster.KubeconfigPath, "replica-a", $"apis-{Guid.NewGuid():N}"[..16], Timings, Settings);
        await Eventually.TrueAsync(() => replica.BecameLeaderAt().Count > 0, $"the operator leads\n{replica.Tail()}", Patience);
        var restarts = new List<(DateTime Stopped, DateTime Answering)>();
        var created = 0;
        var clock = Stopwatch.StartNew();
        foreach (var down in Downtimes)
        {
            var podsBefore = (await cluster.WorkerPodsPerJobAsync(ns)).Values.Sum();
            for (var i = 0; i < JobsPerRestart; i++)
            {
                await cluster.CreateJobAsync(ns, FinishedJobs.JobName(created++));
            }

            // Restart while the new jobs' workers run (their 3 s has begun), so some finish while the server is down.
            try
            {
                await Eventually.TrueAsync(async () => (await cluster.WorkerPodsPerJobAsync(ns)).Values.Sum() >= podsBefore + JobsPerRestart, "the new jobs' worker pods exist", Patience);
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"{e.Message} before restart {restarts.Count + 1}: pods {string.Join(",", await cluster.WorkerPodsPerJobAsync(ns))}, "
                    + $"phases {string.Join(",", await cluster.JobPhasesAsync(ns))}, watched {podLog.Count} (relists {podLog.Relists}, reconnects {podLog.Reconnects})\n{replica.Tail(60)}", e);
            }

            await Task.Delay(TimeSpan.FromSeconds(1.5));
            var stopped = DateTime.UtcNow;
            await cluster.RestartApiServerAsync(down);
            restarts.Add((stopped, DateTime.UtcNow));
        }

        var phases = await WaitAllFinishedAsync(ns, created, replica);
        await podLog.CatchUpAsync();
        var elapsed = clock.Elapsed;
        var jobs = await cluster.ReadJobsAsync(ns);
        var pods = await cluster.Client.CoreV1.ListNamespacedPodAsync(ns);
        var podsByJob = podLog.ByJob();
        var problems = jobs.Values.SelectMany(j => FinishedJobs.StatusProblems(j, podsByJob.GetValueOrDefault(j.Metadata.Name) ?? [])).ToList();
        var podsCreated = podsByJob.Values.Sum(p => p.Count);
        var expectedPods = jobs.Keys.Sum(FinishedJobs.ExpectedAttempts);

        // How long each job said Running after its last worker had ended (both times in whole seconds).
        var lags = jobs.Values.ToDictionary(j => j.Metadata.Name, j =>
        {
            var finished = pods.Items.Where(p => p.Metadata.Name == j.Status?.WorkerPod)
                .Select(p => p.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Terminated?.FinishedAt).FirstOrDefault();
            var succeeded = j.Status?.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Succeeded)?.LastTransitionTime;
            return finished is { } f && succeeded is { } s ? s - f : TimeSpan.MaxValue;
        }, StringComparer.Ordinal);
        // Which informers saw their watch break after each restart (they then resumed from their resourceVersion, or
        // relisted when the server answered 410), by the source named at the start of each line.
        var relists = replica.Logged("relisting");
        var broken = replica.Logged("watch failed").Concat(relists).ToList();
        var brokenAfter = restarts.Select((r, i) => broken.Where(l => l.Timestamp >= r.Stopped && (i + 1 == restarts.Count || l.Timestamp < restarts[i + 1].Stopped))
            .Select(l => l.Message[..l.Message.IndexOf(':', StringComparison.Ordinal)]).Distinct(StringComparer.Ordinal).Count()).ToList();
        // The 6 s outage passes the lease's renew deadline: if the operator stands down before an informer notices its
        // broken watch, its informers stop with the work and the next round lists afresh. Either way the restart was felt.
        var stoodDownAfter = restarts.Select((r, i) => replica.Logged("stopping work").Count(l => l.Timestamp >= r.Stopped
            && (i + 1 == restarts.Count || l.Timestamp < restarts[i + 1].Stopped))).ToList();
        var firstReconcileAfter = restarts.Select(r => replica.Reconciles().Where(x => x.Started >= r.Answering).Select(x => (x.Ended - r.Answering).TotalSeconds).DefaultIfEmpty(double.NaN).Min()).ToList();
        var leaderships = replica.BecameLeaderAt().Count;
        var succeededCount = phases.Values.Count(p => p == JobPhases.Succeeded);
        var maxLag = lags.Values.Max();
        var overhead = restarts.Select((r, i) => (r.Answering - r.Stopped - Downtimes[i]).TotalSeconds).ToList();

        ReliabilityResults.Record(new ReliabilityRow(
            $"API server stopped and restarted {Downtimes.Length} times (down {string.Join(", ", Downtimes.Select(d => d.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)))} s) while an operator process and the node watch and {created} FineTuneJobs run",
            $"{nameof(ApiServerRestartIntegrationTest)}.{nameof(Restarting_the_API_server_three_times_under_open_watches_loses_no_event_and_stalls_no_job)}",
            $"the operator's informers saw their watches break ({string.Join(", ", brokenAfter)} informers at restarts 1..{restarts.Count}), resumed them or relisted ({relists.Count} relists after a 410: the restarted server's watch history starts at its restart); "
            + $"the operator stood down for the outage at restarts {string.Join(", ", stoodDownAfter.Select((n, i) => n > 0 ? $"{i + 1}" : null).OfType<string>().DefaultIfEmpty("none"))}; "
            + $"stopping and starting the server took {string.Join(", ", overhead.Select(o => o.ToString("0.0", CultureInfo.InvariantCulture)))} s beyond each downtime; the operator finished a reconcile "
            + $"{string.Join(", ", firstReconcileAfter.Select(s => s.ToString("0.0", CultureInfo.InvariantCulture)))} s after the server answered again; it led {leaderships} time(s) (the 6 s outage is past the 3 s renew deadline); "
            + $"{succeededCount} of {created} jobs Succeeded; worker pods created: {podsCreated} for {expectedPods} attempts; a job said Succeeded at most {maxLag.TotalSeconds:0}s after its last worker ended "
            + $"({string.Join(", ", lags.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key} {l.Value.TotalSeconds:0}s"))}); the test's own pod watch relisted {podLog.Relists} times; "
            + $"status problems: {(problems.Count == 0 ? "none" : string.Join("; ", problems))}",
            Recovered: succeededCount == created && maxLag <= StallTarget,
            Lost: podsCreated != expectedPods || problems.Count > 0,
            Figures: new Dictionary<string, double>
            {
                ["restarts"] = restarts.Count,
                ["jobs"] = created,
                ["operatorRelists"] = relists.Count,
                ["maxSecondsToFirstReconcile"] = Math.Round(firstReconcileAfter.Max(), 2),
                ["maxSecondsWorkerEndToSucceeded"] = Math.Round(maxLag.TotalSeconds, 1),
                ["podsCreated"] = podsCreated,
                ["attemptsExpected"] = expectedPods,
                ["maxStopStartOverheadSeconds"] = Math.Round(overhead.Max(), 2),
                ["runSeconds"] = Math.Round(elapsed.TotalSeconds, 1),
            },
            Gap: maxLag <= StallTarget ? null
                : $"slow recovery: jobs waited up to {maxLag.TotalSeconds:0}s after their worker ended (target {StallTarget.TotalSeconds:0}s)"));

        Assert.All(phases, p => Assert.Equal(JobPhases.Succeeded, p.Value));
        Assert.All(brokenAfter.Zip(stoodDownAfter), n => Assert.True(n.First > 0 || n.Second > 0,
            $"every restart broke the operator's watches or made it stand down: watches broken {string.Join(", ", brokenAfter)}, stood down {string.Join(", ", stoodDownAfter)}"));
        Assert.Empty(problems);
        Assert.Equal(expectedPods, podsCreated);
        Assert.True(maxLag <= StallTarget, $"every job said Succeeded within {StallTarget.TotalSeconds:0}s of its last worker's end: {string.Join(", ", lags.Select(l => $"{l.Key} {l.Value.TotalSeconds:0}s"))}");
    }

    private async Task<IReadOnlyDictionary<string, string>> WaitAllFinishedAsync(string ns, int count, OperatorReplica replica)
    {
        IReadOnlyDictionary<string, string> phases = new Dictionary<string, string>();
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                phases = await cluster.JobPhasesAsync(ns);
                return phases.Count == count && phases.Values.All(JobPhases.IsTerminal);
            }, "every job finishes", Patience);
        }
        catch (TimeoutException e)
        {
            var pods = await cluster.Client.CoreV1.ListNamespacedPodAsync(ns);
            throw new TimeoutException($"{e.Message} (phases: {string.Join(", ", phases.Select(p => $"{p.Key}={p.Value}"))}; pods: {string.Join(", ", pods.Items.Select(p => $"{p.Metadata.Name}={p.Status?.Phase}"))}; "
                + $"operator informers: {string.Join(" | ", replica.Logged("relisting").Concat(replica.Logged("watch failed")).Select(l => $"{l.Timestamp:HH:mm:ss.fff} {l.Message}"))})\n{replica.Tail()}", e);
        }

        return phases;
    }
}

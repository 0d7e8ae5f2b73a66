using System.Globalization;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Reliability.Tests.Cluster;
using Whetstone.Reliability.Tests.Results;

namespace Whetstone.Reliability.Tests.Operators;

/// <summary>
/// One real operator process, SIGKILLed at random instants (a fixed seed) while it reconciles, and started again each
/// time, as a crashing container is: jobs are created while it is down, workers start, fail, are retried and finish
/// while it is up or down. Every worker pod ever created is counted through a watch, so a duplicate that was deleted
/// again still counts; the jobs' status must end exactly as one uninterrupted operator would have left it.
/// </summary>
public sealed class OperatorKillIntegrationTest(ControlPlane cluster) : IClassFixture<ControlPlane>
{
    private const int Seed = 19;
    private const int Kills = 20;
    private const int Jobs = 6;
    private const int KillsBetweenJobs = 3;
    private static readonly LeaseTimings Timings = new(TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(500));
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan LongestLife = TimeSpan.FromSeconds(2);

    private static readonly Dictionary<string, string> Settings = new(StringComparer.Ordinal)
    {
        ["Whetstone:Workers:Image"] = ControlPlane.SlowWorkerImage,
        ["Whetstone:Workers:RetryBaseDelay"] = "00:00:01",
    };

    [Fact]
    public async Task An_operator_killed_20_times_mid_reconcile_completes_every_job_with_one_worker_pod_per_attempt()
    {
        var ns = await cluster.NewNamespaceAsync();
        var lease = $"crash-{Guid.NewGuid():N}"[..16];
        var random = new Random(Seed);
        var replicas = new List<OperatorReplica>();
        var kills = new List<KillPoint>();
        var created = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var podLog = await PodCreationLog.StartAsync(cluster.Client, ns);
        try
        {
            for (var k = 0; k < Kills; k++)
            {
                if (k % KillsBetweenJobs == 0 && created < Jobs)
                {
                    // Created while no operator runs: the next one must find it in its first list.
                    await cluster.CreateJobAsync(ns, FinishedJobs.JobName(created++));
                }

                var replica = await StartLeadingAsync(lease, replicas);
                var podsBefore = podLog.Count;
                var life = TimeSpan.FromSeconds(0.1 + (random.NextDouble() * (LongestLife.TotalSeconds - 0.1)));
                if (k % 2 == 1)
                {
                    // Every other kill comes the moment the watch sees a new worker pod (or after the random life
                    // when none comes): between creating a pod and writing the status that names it.
                    await WaitForNewPodAsync(podLog, podsBefore, life + LongestLife);
                }
                else
                {
                    await Task.Delay(life);
                }

                var killedAt = DateTime.UtcNow;
                await replica.KillAsync();
                kills.Add(new KillPoint(killedAt, killedAt - replica.BecameLeaderAt()[0], replica.Reconciles().Count,
                    podLog.Count > podsBefore, await PodsAheadOfStatusAsync(ns, podLog)));
            }

            while (created < Jobs)
            {
                await cluster.CreateJobAsync(ns, FinishedJobs.JobName(created++));
            }

            var last = await StartLeadingAsync(lease, replicas);
            var phases = await WaitAllFinishedAsync(ns, last);
            await podLog.CatchUpAsync();
            await last.StopAsync();
            var elapsed = clock.Elapsed;

            var jobs = await cluster.ReadJobsAsync(ns);
            var podsByJob = podLog.ByJob();
            var problems = jobs.Values.SelectMany(j => FinishedJobs.StatusProblems(j, podsByJob.GetValueOrDefault(j.Metadata.Name) ?? [])).ToList();
            var podsCreated = podsByJob.Values.Sum(p => p.Count);
            var expectedPods = jobs.Keys.Sum(FinishedJobs.ExpectedAttempts);
            var recoveries = Recoveries(kills, replicas);
            var leaderAgain = recoveries.Select(r => r.LeaderAgain.TotalSeconds).Order().ToList();
            var reconciling = recoveries.Where(r => r.FirstReconcile is not null).Select(r => r.FirstReconcile!.Value.TotalSeconds).Order().ToList();
            var succeeded = phases.Values.Count(p => p == JobPhases.Succeeded);

            ReliabilityResults.Record(new ReliabilityRow(
                $"Operator SIGKILLed {Kills} times at random instants of its reconciles (seed {Seed}) while {Jobs} FineTuneJobs ran, half of them retried once, and started again after each kill",
                $"{nameof(OperatorKillIntegrationTest)}.{nameof(An_operator_killed_20_times_mid_reconcile_completes_every_job_with_one_worker_pod_per_attempt)}",
                $"kills (every other one the moment a new worker pod was seen, {kills.Count(k => k.AfterPodCreated)} of all came after a pod creation) at {string.Join(", ", kills.Select(k => k.AfterLeading.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)))} s after the process took the lease "
                + $"(after {kills.Min(k => k.ReconcilesLogged)}-{kills.Max(k => k.ReconcilesLogged)} finished reconciles); {kills.Count(k => k.PodsAheadOfStatus > 0)} kills left a worker pod its job's status did not name yet; "
                + $"the next process led again {Median(leaderAgain):0.0}s (median, max {leaderAgain.DefaultIfEmpty().Max():0.0}s) after a kill and finished its first reconcile {Median(reconciling):0.0}s after (max {reconciling.DefaultIfEmpty().Max():0.0}s; "
                + $"{recoveries.Count - reconciling.Count} were killed before their first reconcile ended); {succeeded} of {Jobs} jobs Succeeded; worker pods created: {podsCreated} for {expectedPods} attempts "
                + $"({string.Join(", ", podsByJob.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value.Count}"))}); status problems: {(problems.Count == 0 ? "none" : string.Join("; ", problems))}",
                Recovered: succeeded == Jobs,
                Lost: podsCreated != expectedPods || problems.Count > 0,
                new Dictionary<string, double>
                {
                    ["kills"] = kills.Count,
                    ["jobs"] = Jobs,
                    ["podsCreated"] = podsCreated,
                    ["attemptsExpected"] = expectedPods,
                    ["killsWithPodAheadOfStatus"] = kills.Count(k => k.PodsAheadOfStatus > 0),
                    ["killsAfterPodCreation"] = kills.Count(k => k.AfterPodCreated),
                    ["medianLeaderAgainSeconds"] = Math.Round(Median(leaderAgain), 2),
                    ["maxLeaderAgainSeconds"] = Math.Round(leaderAgain.DefaultIfEmpty().Max(), 2),
                    ["medianFirstReconcileSeconds"] = Math.Round(Median(reconciling), 2),
                    ["maxFirstReconcileSeconds"] = Math.Round(reconciling.DefaultIfEmpty().Max(), 2),
                    ["runSeconds"] = Math.Round(elapsed.TotalSeconds, 1),
                }));

            Assert.Equal(Kills, kills.Count);
            Assert.All(phases, p => Assert.Equal(JobPhases.Succeeded, p.Value));
            Assert.Equal(Jobs, jobs.Count);
            Assert.Empty(problems);
            Assert.Equal(expectedPods, podsCreated);
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }
    }

    private async Task<OperatorReplica> StartLeadingAsync(string lease, List<OperatorReplica> replicas)
    {
        // The same identity each time, as a container restarted in its pod keeps its pod name.
        var replica = OperatorReplica.Start(cluster.KubeconfigPath, "replica-a", lease, Timings, Settings);
        replicas.Add(replica);
        await Eventually.TrueAsync(() => replica.BecameLeaderAt().Count > 0, $"operator process {replicas.Count} leads\n{replica.Tail()}", Patience);
        return replica;
    }

    /// <summary>Jobs whose latest created worker pod their status does not name yet: the kill fell between the two writes.</summary>
    private async Task<int> PodsAheadOfStatusAsync(string ns, PodCreationLog podLog)
    {
        var jobs = await cluster.ReadJobsAsync(ns);
        return podLog.ByJob().Count(p => jobs.TryGetValue(p.Key, out var job)
            && job.Status?.WorkerPod != p.Value.MaxBy(x => x.Attempt)?.Name);
    }

    private async Task<IReadOnlyDictionary<string, string>> WaitAllFinishedAsync(string ns, OperatorReplica replica)
    {
        IReadOnlyDictionary<string, string> phases = new Dictionary<string, string>();
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                phases = await cluster.JobPhasesAsync(ns);
                return phases.Count == Jobs && phases.Values.All(JobPhases.IsTerminal);
            }, "every job finishes", Patience);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} (phases: {string.Join(", ", phases.Select(p => $"{p.Key}={p.Value}"))})\n{replica.Tail()}", e);
        }

        return phases;
    }

    /// <summary>For each kill, how long until the next process led, and until it finished its first reconcile.</summary>
    private static List<Recovery> Recoveries(IReadOnlyList<KillPoint> kills, IReadOnlyList<OperatorReplica> replicas) =>
        [.. kills.Select((kill, i) =>
        {
            var next = replicas[i + 1];
            var firstReconcile = next.Reconciles().Select(r => (DateTime?)r.Ended).Min();
            return new Recovery(next.BecameLeaderAt()[0] - kill.KilledAt, firstReconcile - kill.KilledAt);
        })];

    private static double Median(IReadOnlyList<double> sorted) => sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];

    private static async Task WaitForNewPodAsync(PodCreationLog podLog, int seen, TimeSpan atMost)
    {
        var deadline = DateTime.UtcNow + atMost;
        while (podLog.Count <= seen && DateTime.UtcNow < deadline)
        {
            await Task.Delay(2);
        }
    }

    private sealed record KillPoint(DateTime KilledAt, TimeSpan AfterLeading, int ReconcilesLogged, bool AfterPodCreated, int PodsAheadOfStatus);

    private sealed record Recovery(TimeSpan LeaderAgain, TimeSpan? FirstReconcile);
}

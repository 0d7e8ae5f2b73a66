using System.Diagnostics;
using System.Globalization;
using Whetstone.Reliability.Tests.Cluster;
using Whetstone.Reliability.Tests.Results;

namespace Whetstone.Reliability.Tests.Operators;

/// <summary>
/// Two real operator processes against one embedded API server and local node: the leader is killed (SIGKILL) or
/// paused past its lease (SIGSTOP, a cut network), jobs are created during the handover, and the test proves from the
/// Lease, the replicas' <c>/metrics</c> and their timestamped reconcile logs who reconciled when.
/// </summary>
public sealed class OperatorFailoverIntegrationTest(ControlPlane cluster) : IClassFixture<ControlPlane>
{
    private const int JobsPerPhase = 3;
    private static readonly LeaseTimings Timings = new(TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(500));
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Killing_the_leader_hands_over_within_the_lease_and_the_follower_never_reconciled_while_it_led()
    {
        var ns = await cluster.NewNamespaceAsync();
        var lease = $"kill-{Guid.NewGuid():N}"[..16];
        await using var leader = await StartLeaderAsync("replica-a", lease);
        await using var follower = await StartStandbyAsync("replica-b", lease);
        await CreateJobsAndWaitAsync(ns, "before");
        var followerReconcilesWhileStandby = await follower.ReconcilesAsync() ?? -1;
        var leaderReconciles = await leader.ReconcilesAsync() ?? 0;

        var clock = Stopwatch.StartNew();
        await leader.KillAsync();
        var killedAt = DateTime.UtcNow;
        // Read after the kill, so this is the dead leader's last renew.
        var lastRenew = (await cluster.ReadLeaseAsync(lease))?.RenewTime;
        await CreateJobsAsync(ns, "during");
        await Eventually.TrueAsync(async () => (await cluster.ReadLeaseAsync(lease))?.HolderIdentity == follower.Identity,
            "the follower holds the Lease", Patience);
        var handover = clock.Elapsed;
        var acquired = (await cluster.ReadLeaseAsync(lease))?.AcquireTime;
        var sinceLastRenew = acquired is { } a && lastRenew is { } r ? a - r : TimeSpan.MaxValue;
        await WaitSucceededAsync(ns, "during");
        var pods = await cluster.WorkerPodsPerJobAsync(ns);
        var firstFollowerReconcile = follower.Reconciles().Select(r => r.Started).DefaultIfEmpty(DateTime.MaxValue).Min();
        var followerLedAt = follower.BecameLeaderAt().DefaultIfEmpty(DateTime.MaxValue).First();

        // The follower may take the Lease once it has not changed for a lease duration since it last saw it change; it
        // looks every retry period (with jitter), so the bound is the lease plus two retry periods and a second of
        // slack for this loaded machine. From the kill, the leader's last renew came up to one retry period earlier.
        var renewBound = Timings.LeaseDuration + (2 * Timings.RetryPeriod) + TimeSpan.FromSeconds(1);
        var bound = Timings.LeaseDuration + (3 * Timings.RetryPeriod) + TimeSpan.FromSeconds(2);
        var onePodEach = pods.Count == 2 * JobsPerPhase && pods.Values.All(n => n == 1);
        ReliabilityResults.Record(new ReliabilityRow(
            "Operator leader SIGKILLed (two operator processes, one API server)",
            $"{nameof(OperatorFailoverIntegrationTest)}.{nameof(Killing_the_leader_hands_over_within_the_lease_and_the_follower_never_reconciled_while_it_led)}",
            $"follower took the Lease {sinceLastRenew.TotalSeconds:0.0}s after the dead leader's last renew (lease {Timings.LeaseDuration.TotalSeconds:0}s, retry period {Timings.RetryPeriod.TotalSeconds:0.0}s), {handover.TotalSeconds:0.0}s after the kill; "
            + $"follower reconciles while standby: {followerReconcilesWhileStandby} (leader: {leaderReconciles}); "
            + $"{JobsPerPhase} jobs created during the handover: all Succeeded, worker pods per job: {string.Join(",", pods.Values)}",
            Recovered: handover <= bound && sinceLastRenew <= renewBound,
            Lost: !onePodEach,
            new Dictionary<string, double>
            {
                ["handoverSeconds"] = Math.Round(handover.TotalSeconds, 2),
                ["acquiredAfterLastRenewSeconds"] = Math.Round(sinceLastRenew.TotalSeconds, 2),
                ["leaseSeconds"] = Timings.LeaseDuration.TotalSeconds,
                ["followerReconcilesWhileStandby"] = followerReconcilesWhileStandby,
                ["jobsDuringHandover"] = JobsPerPhase,
            }));

        Assert.True(leaderReconciles > 0, "the leader reconciled the first jobs");
        Assert.Equal(0, followerReconcilesWhileStandby);
        Assert.True(firstFollowerReconcile >= followerLedAt && followerLedAt > killedAt,
            $"the follower's first reconcile ({firstFollowerReconcile:O}) came after it took the lease ({followerLedAt:O}), after the kill ({killedAt:O})");
        Assert.True(sinceLastRenew <= renewBound, $"the follower acquired {sinceLastRenew.TotalSeconds:0.0}s after the last renew, more than {renewBound.TotalSeconds:0.0}s");
        Assert.True(handover <= bound, $"handover took {handover.TotalSeconds:0.0}s, more than {bound.TotalSeconds:0.0}s");
        Assert.True(onePodEach, $"one worker pod per job, found {string.Join(", ", pods.Select(p => $"{p.Key}={p.Value}"))}");
    }

    [Fact]
    public async Task A_leader_paused_past_its_lease_stops_working_before_the_other_takes_over()
    {
        var ns = await cluster.NewNamespaceAsync();
        var lease = $"stop-{Guid.NewGuid():N}"[..16];
        await using var paused = await StartLeaderAsync("replica-a", lease);
        await using var other = await StartStandbyAsync("replica-b", lease);
        await CreateJobsAndWaitAsync(ns, "before");
        var transitionsBefore = (await cluster.ReadLeaseAsync(lease))?.LeaseTransitions ?? 0;

        var clock = Stopwatch.StartNew();
        await paused.PauseAsync();
        await CreateJobsAsync(ns, "during");
        var holders = new List<string>();
        await Eventually.TrueAsync(async () =>
        {
            var holder = (await cluster.ReadLeaseAsync(lease))?.HolderIdentity ?? "";
            if (holders.Count == 0 || holders[^1] != holder)
            {
                holders.Add(holder);
            }

            return holder == other.Identity;
        }, "the other replica holds the Lease", Patience);
        var handover = clock.Elapsed;
        await WaitSucceededAsync(ns, "during");

        // The paused leader runs again: it must find its lease gone and reconcile nothing more.
        var resumedAt = DateTime.UtcNow;
        await paused.ResumeAsync();
        await Eventually.TrueAsync(async () => await paused.LeaderGaugeAsync() == 0, $"the resumed replica stands down\n{paused.Tail()}", Patience);
        await CreateJobsAsync(ns, "after");
        await WaitSucceededAsync(ns, "after");
        var leaseAfter = await cluster.ReadLeaseAsync(lease);
        var pods = await cluster.WorkerPodsPerJobAsync(ns);
        await paused.StopAsync();
        await other.StopAsync();

        var pausedReconciles = paused.Reconciles();
        var otherReconciles = other.Reconciles();
        var otherFirst = otherReconciles.Select(r => r.Started).DefaultIfEmpty(DateTime.MaxValue).Min();
        var pausedLastActive = pausedReconciles.Where(r => r.Outcome != "fenced").Select(r => r.Ended).DefaultIfEmpty(DateTime.MinValue).Max();
        var activeAfterResume = pausedReconciles.Count(r => r.Outcome != "fenced" && r.Ended >= resumedAt);
        var fencedAfterResume = pausedReconciles.Count(r => r.Outcome == "fenced");
        var fenceStops = paused.CountLogLines("was not renewed within") + paused.CountLogLines("lost the lease");
        var onePodEach = pods.Count == 3 * JobsPerPhase && pods.Values.All(n => n == 1);
        var transitions = (leaseAfter?.LeaseTransitions ?? 0) - transitionsBefore;
        var noOverlap = pausedLastActive < otherFirst && activeAfterResume == 0;

        ReliabilityResults.Record(new ReliabilityRow(
            "Operator leader paused with SIGSTOP past its lease (network cut), then resumed",
            $"{nameof(OperatorFailoverIntegrationTest)}.{nameof(A_leader_paused_past_its_lease_stops_working_before_the_other_takes_over)}",
            $"the other replica took the Lease {handover.TotalSeconds:0.0}s after the pause (holders seen: {string.Join(" -> ", holders.Select(h => h.Length == 0 ? "none" : h))}, "
            + $"{transitions} transition); the paused leader's last reconcile ended {(otherFirst - pausedLastActive).TotalSeconds:0.0}s before the other's first began; "
            + $"after SIGCONT it ran {activeAfterResume} reconciles, {fencedAfterResume} were refused by the lease fence, and it stood down; "
            + $"{3 * JobsPerPhase} jobs (before, during, after) Succeeded with one worker pod each: {onePodEach}",
            Recovered: noOverlap && transitions == 1,
            Lost: !onePodEach,
            new Dictionary<string, double>
            {
                ["handoverSeconds"] = Math.Round(handover.TotalSeconds, 2),
                ["gapBetweenLeadersSeconds"] = Math.Round((otherFirst - pausedLastActive).TotalSeconds, 2),
                ["reconcilesAfterResume"] = activeAfterResume,
                ["fencedAfterResume"] = fencedAfterResume,
                ["leaseTransitions"] = transitions,
            }));

        Assert.True(pausedReconciles.Count > 0, "the first leader reconciled the first jobs");
        Assert.True(pausedLastActive < otherFirst,
            $"no two leaders reconciled at once: the paused leader's last reconcile ended {pausedLastActive:O}, the other's first began {otherFirst:O}");
        Assert.Equal(0, activeAfterResume);
        Assert.True(fenceStops > 0, $"the resumed replica logged that it stopped working\n{paused.Tail()}");
        Assert.Equal(1, transitions);
        Assert.True(onePodEach, $"one worker pod per job, found {string.Join(", ", pods.Select(p => $"{p.Key}={p.Value}"))}");
    }

    private async Task<OperatorReplica> StartLeaderAsync(string identity, string lease)
    {
        var replica = OperatorReplica.Start(cluster.KubeconfigPath, identity, lease, Timings);
        await Eventually.TrueAsync(async () => await replica.LeaderGaugeAsync() == 1 && (await cluster.ReadLeaseAsync(lease))?.HolderIdentity == identity,
            $"{identity} leads\n{replica.Tail()}", Patience);
        return replica;
    }

    private async Task<OperatorReplica> StartStandbyAsync(string identity, string lease)
    {
        var replica = OperatorReplica.Start(cluster.KubeconfigPath, identity, lease, Timings);
        await Eventually.TrueAsync(async () => await replica.LeaderGaugeAsync() == 0, $"{identity} stands by\n{replica.Tail()}", Patience);
        return replica;
    }

    private async Task CreateJobsAsync(string ns, string prefix)
    {
        for (var i = 0; i < JobsPerPhase; i++)
        {
            await cluster.CreateJobAsync(ns, string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i}"));
        }
    }

    private async Task CreateJobsAndWaitAsync(string ns, string prefix)
    {
        await CreateJobsAsync(ns, prefix);
        await WaitSucceededAsync(ns, prefix);
    }

    private async Task WaitSucceededAsync(string ns, string prefix)
    {
        IReadOnlyDictionary<string, string> phases = new Dictionary<string, string>();
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                phases = await cluster.JobPhasesAsync(ns);
                return phases.Count(p => p.Key.StartsWith(prefix + "-", StringComparison.Ordinal) && p.Value == "Succeeded") == JobsPerPhase;
            }, $"the {prefix} jobs succeed", Patience);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} (phases: {string.Join(", ", phases.Select(p => $"{p.Key}={p.Value}"))})", e);
        }
    }
}

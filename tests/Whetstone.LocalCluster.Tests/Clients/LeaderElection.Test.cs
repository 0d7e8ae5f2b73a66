using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;

namespace Whetstone.LocalCluster.Tests.Clients;

/// <summary>KubernetesClient's LeaderElector on a Lease: exactly one of two candidates leads, the other takes over when it stops.</summary>
[Collection(LocalClusterCollection.Name)]
public sealed class LeaderElectionTest(LocalClusterFixture cluster)
{
    [Fact]
    public async Task One_candidate_leads_and_the_other_takes_over_after_it_stops()
    {
        var ns = await cluster.CreateNamespaceAsync("election");
        LeaderElector Candidate(string identity) => new(new LeaderElectionConfig(new LeaseLock(cluster.Client, ns, "leader", identity))
        {
            LeaseDuration = TimeSpan.FromSeconds(3),
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = TimeSpan.FromMilliseconds(300),
        });
        using var firstStop = new CancellationTokenSource();
        using var secondStop = new CancellationTokenSource();
        var first = Candidate("first");
        var firstLeads = new TaskCompletionSource();
        first.OnStartedLeading += () => firstLeads.TrySetResult();
        var firstRun = first.RunUntilLeadershipLostAsync(firstStop.Token);
        await firstLeads.Task.WaitAsync(TimeSpan.FromSeconds(60));

        var second = Candidate("second");
        var secondLeads = new TaskCompletionSource();
        second.OnStartedLeading += () => secondLeads.TrySetResult();
        var secondRun = second.RunUntilLeadershipLostAsync(secondStop.Token);
        await Task.Delay(1500);
        Assert.False(secondLeads.Task.IsCompleted);
        Assert.Equal("first", first.GetLeader());

        firstStop.Cancel();
        await StopsAsync(firstRun);
        await secondLeads.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(second.IsLeader());
        secondStop.Cancel();
        await StopsAsync(secondRun);
    }

    /// <summary>
    /// A cancelled elector stops: depending on where the token is seen (a wait, or the loop's check) it throws
    /// OperationCanceledException or returns; either is a stop, hanging is not.
    /// </summary>
    private static async Task StopsAsync(Task run)
    {
        try
        {
            await run.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (OperationCanceledException)
        {
            // Stopped through the token.
        }
    }
}

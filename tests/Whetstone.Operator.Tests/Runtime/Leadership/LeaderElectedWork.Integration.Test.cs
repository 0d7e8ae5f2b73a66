using Microsoft.Extensions.Logging.Abstractions;
using Whetstone.Operator.Runtime.Leadership;
using Whetstone.Operator.Tests.Cluster;

namespace Whetstone.Operator.Tests.Runtime.Leadership;

public sealed class LeaderElectedWorkIntegrationTest(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Two_replicas_never_work_at_once_and_the_second_takes_over_when_the_leader_stops()
    {
        var lease = $"lease-{Guid.NewGuid():N}"[..20];
        var active = 0;
        var overlap = 0;
        var worked = new System.Collections.Concurrent.ConcurrentBag<string>();

        LeaderElectedWork Replica(string identity) => new(
            cluster.Client,
            new LeaderElectionOptions
            {
                LeaseName = lease,
                Identity = identity,
                LeaseDuration = TimeSpan.FromSeconds(2),
                RenewDeadline = TimeSpan.FromSeconds(1.5),
                RetryPeriod = TimeSpan.FromMilliseconds(250),
            },
            NullLogger<LeaderElectedWork>.Instance);

        async Task WorkAsync(string identity, CancellationToken leading)
        {
            if (Interlocked.Increment(ref active) > 1)
            {
                Interlocked.Increment(ref overlap);
            }

            worked.Add(identity);
            try
            {
                await Task.Delay(Timeout.Infinite, leading);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                Interlocked.Decrement(ref active);
            }
        }

        var first = Replica("first");
        var second = Replica("second");
        using var stopFirst = new CancellationTokenSource();
        using var stopSecond = new CancellationTokenSource();
        var runFirst = first.RunAsync(ct => WorkAsync("first", ct), stopFirst.Token);
        await Eventually.TrueAsync(() => first.IsLeader, "the first replica leads");
        var runSecond = second.RunAsync(ct => WorkAsync("second", ct), stopSecond.Token);

        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(second.IsLeader);
        Assert.DoesNotContain("second", worked);

        await stopFirst.CancelAsync();
        await runFirst;
        Assert.False(first.IsLeader);
        await Eventually.TrueAsync(() => second.IsLeader && worked.Contains("second"), "the second replica takes over", TimeSpan.FromSeconds(20));

        await stopSecond.CancelAsync();
        await runSecond;
        Assert.Equal(0, overlap);
    }
}

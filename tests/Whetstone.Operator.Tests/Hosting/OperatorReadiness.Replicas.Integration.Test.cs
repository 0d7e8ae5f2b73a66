using System.Net;
using Whetstone.Operator.Tests.Cluster;

namespace Whetstone.Operator.Tests.Hosting;

/// <summary>
/// Two operator processes, as the chart's two replicas, against one embedded API server: both are Ready (the standby
/// serves its role), exactly one exports <c>whetstone_leader 1</c>, and the standby takes over when the leader stops.
/// </summary>
public sealed class OperatorReadinessReplicasIntegrationTest(ClusterFixture cluster) : IClassFixture<ClusterFixture>, IAsyncLifetime, IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public Task InitializeAsync() => OperatorFixture.ApplyCrdsAsync(cluster.Client);

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Both_replicas_are_ready_one_leads_and_the_standby_takes_over_when_the_leader_stops()
    {
        var lease = $"lease-{Guid.NewGuid():N}"[..20];
        var first = StartReplica("replica-a", lease);
        var firstAddress = first.Address;
        await Eventually.TrueAsync(async () => await LeaderGaugeAsync(firstAddress) == 1, "the first replica leads");
        await using var second = StartReplica("replica-b", lease);
        var secondAddress = second.Address;
        try
        {
            // The machine is shared and slow at times: each probe may time out, so the whole state is polled.
            await Eventually.TrueAsync(
                async () => await IsReadyAsync(firstAddress) && await ReadyBodyAsync(secondAddress) == "standby"
                    && await LeaderGaugeAsync(firstAddress) == 1 && await LeaderGaugeAsync(secondAddress) == 0,
                "both replicas report Ready, the first leads and the second stands by", TimeSpan.FromSeconds(40));

            await first.DisposeAsync();
            await Eventually.TrueAsync(
                async () => await LeaderGaugeAsync(secondAddress) == 1 && await IsReadyAsync(secondAddress),
                "the standby takes over and is ready as the leader", TimeSpan.FromSeconds(30));
        }
        finally
        {
            await first.DisposeAsync();
        }
    }

    private OperatorProcess StartReplica(string identity, string lease) => OperatorProcess.Start(cluster.Server.KubeconfigPath, new Dictionary<string, string>
    {
        ["Whetstone:LeaderElection:Namespace"] = "default",
        ["Whetstone:LeaderElection:LeaseName"] = lease,
        ["Whetstone:LeaderElection:Identity"] = identity,
        ["Whetstone:LeaderElection:LeaseDuration"] = "00:00:03",
        ["Whetstone:LeaderElection:RenewDeadline"] = "00:00:02",
        ["Whetstone:LeaderElection:RetryPeriod"] = "00:00:00.250",
    });

    private async Task<bool> IsReadyAsync(Uri address) => await ReadyBodyAsync(address) is not null;

    // The /readyz body when it answers 200, else null.
    private async Task<string?> ReadyBodyAsync(Uri address)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(address, "/readyz"));
            return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync() : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private async Task<int> LeaderGaugeAsync(Uri address)
    {
        string metrics;
        try
        {
            metrics = await _http.GetStringAsync(new Uri(address, "/metrics"));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return -1;
        }

        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith("whetstone_leader", StringComparison.Ordinal) && !l.StartsWith("whetstone_leader_", StringComparison.Ordinal));
        return line is null ? -1 : (int)double.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}

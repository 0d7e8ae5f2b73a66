using k8s;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Whetstone.Operator.Configuration;
using Whetstone.Operator.Runtime.Controllers;
using Whetstone.Operator.Runtime.Leadership;
using Whetstone.Operator.Runtime.Metrics;

namespace Whetstone.Operator.Hosting;

/// <summary>
/// Runs every registered controller and the caches of the children they own (<see cref="OwnedKind"/>) while this
/// replica leads (or always, with leader election off). Losing the lease cancels them at once; the replica then
/// competes again.
/// </summary>
public sealed class OperatorService(
    IServiceProvider services,
    IEnumerable<ControllerRegistration> registrations,
    IEnumerable<IOwnedResourceCache> ownedCaches,
    IEnumerable<OwnedKind> ownedKinds,
    IKubernetes client,
    IOptions<OperatorOptions> options,
    IOptions<LeaderElectionOptions> leaderOptions,
    OperatorReadiness readiness,
    OperatorMetrics metrics,
    LeaseFence fence,
    ILoggerFactory loggers) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<OperatorService>();

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        metrics.ObserveLeadership(() => readiness.IsLeader);
        var runners = registrations.Select(r => (Registration: r, Runner: r.Create(services))).ToList();
        var caches = ownedCaches.ToList();
        foreach (var owned in ownedKinds)
        {
            var runner = runners.Single(r => r.Registration.EntityType == owned.OwnerType).Runner;
            caches.Single(c => c.ChildType == owned.ChildType).OnOwnerChanged(owned.OwnerKind, runner.Enqueue);
        }

        async Task WorkAsync(CancellationToken leading)
        {
            _logger.LogInformation("Starting {Count} controllers", runners.Count);
            readiness.MarkLeading();
            try
            {
                var children = caches.Select(c => c.RunAsync(leading)).ToList();
                var controllers = runners.Select(r => r.Runner.RunAsync(leading)).ToList();
                _ = Task.WhenAll(caches.Select(c => c.Synced)).ContinueWith(_ => readiness.MarkSynced(), TaskScheduler.Default);
                await Task.WhenAll(controllers.Concat(children)).ConfigureAwait(false);
            }
            finally
            {
                readiness.MarkStoppedLeading();
            }
        }

        try
        {
            if (options.Value.LeaderElection)
            {
                var elector = new LeaderElectedWork(client, leaderOptions.Value, loggers.CreateLogger<LeaderElectedWork>(), fence);
                elector.OtherLeaderObserved += _ => readiness.MarkStandby();
                await elector.RunAsync(WorkAsync, stoppingToken).ConfigureAwait(false);
            }
            else
            {
                await WorkAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        finally
        {
            foreach (var (_, runner) in runners)
            {
                await runner.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}

using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Logging;

namespace Whetstone.Operator.Runtime.Leadership;

/// <summary>
/// Runs <c>work</c> only while this replica holds the Lease (KubernetesClient's <see cref="LeaderElector"/> over a
/// <see cref="LeaseLock"/>). Losing the lease cancels the work at once; the replica then competes again, so two
/// replicas never reconcile at the same time.
/// </summary>
public sealed class LeaderElectedWork(IKubernetes client, LeaderElectionOptions options, ILogger<LeaderElectedWork> logger)
{
    /// <summary>True while this replica leads.</summary>
    public bool IsLeader { get; private set; }

    /// <summary>Raised with the holder's identity when this replica reads the Lease and another replica holds it.</summary>
    public event Action<string>? OtherLeaderObserved;

    /// <summary>Competes for the lease until <paramref name="cancellationToken"/> fires, running the work while leading.</summary>
    public async Task RunAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        var leaseLock = new LeaseLock(client, options.Namespace, options.LeaseName, options.Identity);
        var config = new LeaderElectionConfig(leaseLock)
        {
            LeaseDuration = options.LeaseDuration,
            RenewDeadline = options.RenewDeadline,
            RetryPeriod = options.RetryPeriod,
        };

        while (!cancellationToken.IsCancellationRequested)
        {
            using var elector = new LeaderElector(config);
            using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task? running = null;
            elector.OnStartedLeading += () =>
            {
                IsLeader = true;
                logger.LogInformation("{Identity} became the leader on lease {Namespace}/{Lease}", options.Identity, options.Namespace, options.LeaseName);
                running = Task.Run(() => work(leading.Token), CancellationToken.None);
            };
            elector.OnStoppedLeading += () =>
            {
                IsLeader = false;
                logger.LogWarning("{Identity} lost the lease {Namespace}/{Lease}; stopping work", options.Identity, options.Namespace, options.LeaseName);
                leading.Cancel();
            };
            elector.OnNewLeader += leader =>
            {
                logger.LogInformation("Leader of {Namespace}/{Lease} is {Leader}", options.Namespace, options.LeaseName, leader);
                if (leader != options.Identity)
                {
                    OtherLeaderObserved?.Invoke(leader);
                }
            };

            try
            {
                await elector.RunUntilLeadershipLostAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            finally
            {
                IsLeader = false;
                await leading.CancelAsync().ConfigureAwait(false);
                if (running is not null)
                {
                    await AwaitQuietlyAsync(running).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task AwaitQuietlyAsync(Task running)
    {
        try
        {
            await running.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "Work stopped with an error after leadership ended");
        }
    }
}

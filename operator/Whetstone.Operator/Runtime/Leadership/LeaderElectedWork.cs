using System.Diagnostics;
using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Logging;

namespace Whetstone.Operator.Runtime.Leadership;

/// <summary>
/// Runs <c>work</c> only while this replica holds the Lease (KubernetesClient's <see cref="LeaderElector"/> over a
/// <see cref="LeaseLock"/>). Losing the lease cancels the work at once; the replica then competes again, so two
/// replicas never reconcile at the same time. With a <see cref="LeaseFence"/>, the work is also cancelled as soon as
/// this replica's own last renew is older than the renew deadline (checked every retry period and by every write that
/// passes the fence), which stops a leader that was paused past its lease before its elector notices.
/// </summary>
public sealed class LeaderElectedWork(IKubernetes client, LeaderElectionOptions options, ILogger<LeaderElectedWork> logger, LeaseFence? fence = null)
{
    /// <summary>True while this replica leads.</summary>
    public bool IsLeader { get; private set; }

    /// <summary>Raised with the holder's identity when this replica reads the Lease and another replica holds it.</summary>
    public event Action<string>? OtherLeaderObserved;

    /// <summary>Competes for the lease until <paramref name="cancellationToken"/> fires, running the work while leading.</summary>
    public async Task RunAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        var fenceInUse = fence ?? new LeaseFence(options.RenewDeadline);
        var leaseLock = new FencedLeaseLock(new LeaseLock(client, options.Namespace, options.LeaseName, options.Identity), fenceInUse);
        var config = new LeaderElectionConfig(leaseLock)
        {
            LeaseDuration = options.LeaseDuration,
            RenewDeadline = options.RenewDeadline,
            RetryPeriod = options.RetryPeriod,
        };

        while (!cancellationToken.IsCancellationRequested)
        {
            using var elector = new LeaderElector(config);
            // One round of competing; the fence ends it (and the work) when a renew comes too late, and the next
            // round competes afresh.
            using var round = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var leading = CancellationTokenSource.CreateLinkedTokenSource(round.Token);
            Task? running = null;
            elector.OnStartedLeading += () =>
            {
                IsLeader = true;
                logger.LogInformation("{Identity} became the leader on lease {Namespace}/{Lease}", options.Identity, options.Namespace, options.LeaseName);
                fenceInUse.Guard(round);
                running = Task.Run(() => WatchFenceAsync(fenceInUse, leading.Token, round), CancellationToken.None);
                running = Task.WhenAll(running, Task.Run(() => work(leading.Token), CancellationToken.None));
            };
            elector.OnStoppedLeading += () =>
            {
                IsLeader = false;
                fenceInUse.Released();
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
                await elector.RunUntilLeadershipLostAsync(round.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (round.IsCancellationRequested)
            {
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A round that fails (the API server unreachable in a way the lock did not turn into a failed try) is
                // competed again after a retry period: the operator's host must outlive an API server restart.
                logger.LogWarning("{Identity}: competing for the lease {Namespace}/{Lease} failed ({Error}); trying again in {Delay}",
                    options.Identity, options.Namespace, options.LeaseName, e.Message, options.RetryPeriod);
                await DelayQuietlyAsync(options.RetryPeriod, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                IsLeader = false;
                fenceInUse.Released();
                await leading.CancelAsync().ConfigureAwait(false);
                if (running is not null)
                {
                    var stopping = Stopwatch.StartNew();
                    await AwaitQuietlyAsync(running).ConfigureAwait(false);
                    logger.LogInformation("{Identity}: work stopped in {Milliseconds} ms", options.Identity, stopping.ElapsedMilliseconds);
                }
            }
        }
    }

    // Cancels the work once the fence closes, even when no write comes to find it closed.
    private async Task WatchFenceAsync(LeaseFence leaseFence, CancellationToken leading, CancellationTokenSource round)
    {
        var period = options.RetryPeriod / 2;
        try
        {
            while (!leading.IsCancellationRequested)
            {
                await Task.Delay(period, leading).ConfigureAwait(false);
                if (!leaseFence.IsHeld)
                {
                    logger.LogWarning("{Identity}: the lease {Namespace}/{Lease} was not renewed within {Deadline}s; stopping work before another replica can lead",
                        options.Identity, options.Namespace, options.LeaseName, leaseFence.Validity.TotalSeconds);
                    await round.CancelAsync().ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task DelayQuietlyAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
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

using System.Net;
using System.Reflection;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Whetstone.Api;
using Whetstone.Operator.Configuration;
using Whetstone.Operator.Preflight;
using Whetstone.Operator.Runtime.Clients;
using Whetstone.Operator.Runtime.Controllers;
using Whetstone.Operator.Runtime.Events;
using Whetstone.Operator.Runtime.Metrics;

namespace Whetstone.Operator.Workers;

/// <summary>
/// Turns a worker job of any kind into worker pods and follows them. Reconcile reads as a story: validate references,
/// plan (pure; when it would start the first worker of a generation, check the inputs and output once and plan
/// again), reconcile the worker pod (and the worker's account), persist status, record events. The same world in makes
/// no writes. What differs between kinds comes from the kind's <see cref="IWorkerJobKind{TJob}"/>.
/// </summary>
/// <typeparam name="TJob">The kind.</typeparam>
/// <typeparam name="TStatus">The kind's status type.</typeparam>
public sealed class WorkerJobController<TJob, TStatus>(
    IKubernetes client,
    IEntityClient<TJob> jobs,
    IWorkerJobKind<TJob> kind,
    OwnedResourceCache<V1Pod> pods,
    ReferenceResolver references,
    WorkerJobPreflight<TJob> preflight,
    WorkerAccessProvisioner access,
    EventRecorder events,
    OperatorMetrics metrics,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<WorkerJobController<TJob, TStatus>> logger) : IEntityController<TJob>
    where TJob : class, IWorkerJob<TStatus>
    where TStatus : class, IWorkerJobStatus, new()
{
    private static readonly string Plural = typeof(TJob).GetCustomAttribute<KubernetesEntityAttribute>()?.PluralName
        ?? throw new InvalidOperationException($"{typeof(TJob).Name} has no [KubernetesEntity] attribute");

    /// <inheritdoc />
    public async Task<ReconciliationResult<TJob>> ReconcileAsync(TJob entity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var ns = entity.Metadata.NamespaceProperty;
        var referenced = await ValidateReferencesAsync(entity, cancellationToken).ConfigureAwait(false);
        var workerPods = await pods.ForOwnerAsync(entity, entity.Status?.WorkerPod, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow().UtcDateTime;
        var verdict = PreflightVerdict.NotChecked;
        var plan = Plan(entity, workerPods, referenced, verdict, now);
        if (plan.NeedsPreflight)
        {
            verdict = await preflight.CheckAsync(entity, cancellationToken).ConfigureAwait(false);
            plan = Plan(entity, workerPods, referenced, verdict, now);
        }

        if (await ReconcileWorkerAccessAsync(entity, plan, cancellationToken).ConfigureAwait(false) is { Refused: true } refused)
        {
            plan = Plan(entity, workerPods, referenced, verdict, now, refused);
        }

        await ReconcileWorkerPodsAsync(entity, plan, cancellationToken).ConfigureAwait(false);
        var before = entity.Status;
        try
        {
            entity = await PersistStatusAsync(entity, plan.Status, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.Conflict && (plan.PodToCreate is not null || plan.PodsToDelete.Count > 0))
        {
            // The pods have changed already, and the next reconcile plans from them (the status catches up then), but
            // it will not announce that change again: the events of this plan are recorded before the retry.
            await RecordEventsAsync(entity, plan, cancellationToken).ConfigureAwait(false);
            throw;
        }

        RecordMetrics(entity, before, plan, workerPods, now);
        await RecordEventsAsync(entity, plan, cancellationToken).ConfigureAwait(false);
        if (plan.DeleteJob)
        {
            await jobs.DeleteAsync(entity, cancellationToken).ConfigureAwait(false);
        }

        return ReconciliationResult<TJob>.Success(entity, plan.RequeueAfter);
    }

    /// <inheritdoc />
    public Task<ReconciliationResult<TJob>> DeletedAsync(TJob entity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);

        // Worker pods go with their owner (garbage collection); published artifacts are never deleted.
        preflight.Forget(entity);
        logger.LogInformation("{Namespace}/{Name}: deleted; its artifacts stay where they were published", entity.Metadata.NamespaceProperty, entity.Metadata.Name);
        return Task.FromResult(ReconciliationResult<TJob>.Success(entity));
    }

    private WorkerJobPlan<TStatus> Plan(TJob job, IReadOnlyList<V1Pod> workerPods, ReferenceState referenced, PreflightVerdict verdict, DateTime now, WorkerAccessOutcome? accessOutcome = null) =>
        WorkerJobPlanner<TJob, TStatus>.Plan(job, workerPods, referenced, verdict, now, options.Value, kind, accessOutcome);

    private void RecordMetrics(TJob job, TStatus? before, WorkerJobPlan<TStatus> plan, IReadOnlyList<V1Pod> workerPods, DateTime now)
    {
        if (plan.Events.Any(e => e.Reason == WorkerEventReasons.Retrying))
        {
            metrics.CountWorkerRestart(job.Kind);
        }

        // GPU time is the time worker containers ran: a pod being stopped (suspend, deadline) counts now, while it is
        // still listed; the pods left when the job finishes count then. Queued, backing-off and suspended time hold no GPU.
        var gpus = job.WorkerSpec.Resources?.Gpu?.Count ?? 0;
        if (gpus <= 0)
        {
            return;
        }

        var finishedNow = JobPhases.IsTerminal(plan.Status.Phase) && !JobPhases.IsTerminal(before?.Phase);
        var counted = workerPods.Where(p => plan.PodsToDelete.Contains(p.Metadata.Name)
            || (finishedNow && p.Metadata.DeletionTimestamp is null && p.Status?.Phase is "Succeeded" or "Failed"));
        var seconds = counted.Sum(p => WorkerRunTime.SecondsRan(p, now));
        if (seconds > 0)
        {
            metrics.AddGpuSeconds(job.Kind, gpus * seconds);
        }
    }

    private async Task RecordEventsAsync(TJob job, WorkerJobPlan<TStatus> plan, CancellationToken cancellationToken)
    {
        foreach (var change in plan.Events)
        {
            logger.LogInformation("{Namespace}/{Name}: {Reason}: {Message}", job.Metadata.NamespaceProperty, job.Metadata.Name, change.Reason, change.Message);
            await (change.Warning
                ? events.WarningAsync(job, change.Reason, change.Message, cancellationToken)
                : events.NormalAsync(job, change.Reason, change.Message, cancellationToken)).ConfigureAwait(false);
        }
    }

    private Task<ReferenceState> ValidateReferencesAsync(TJob job, CancellationToken cancellationToken) =>
        JobPhases.IsTerminal(job.Status?.Phase)
            ? Task.FromResult(ReferenceState.Resolved)
            : references.ResolveAsync(job.Metadata.NamespaceProperty, kind.References(job), cancellationToken);

    /// <summary>Before a worker pod is created, its per-job account (when configured) must exist and be the job's own.</summary>
    private async Task<WorkerAccessOutcome> ReconcileWorkerAccessAsync(TJob job, WorkerJobPlan<TStatus> plan, CancellationToken cancellationToken) =>
        plan.PodToCreate is null || !options.Value.PerJobServiceAccounts
            ? WorkerAccessOutcome.Ready
            : await access.EnsureAsync(WorkerAccess.Build(job, Plural, kind.References(job)), cancellationToken).ConfigureAwait(false);

    private async Task ReconcileWorkerPodsAsync(TJob job, WorkerJobPlan<TStatus> plan, CancellationToken cancellationToken)
    {
        var ns = job.Metadata.NamespaceProperty;
        foreach (var name in plan.PodsToDelete)
        {
            try
            {
                await client.CoreV1.DeleteNamespacedPodAsync(name, ns, propagationPolicy: "Background", cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
            {
                // Already gone.
            }
        }

        if (plan.PodToCreate is { } pod)
        {
            try
            {
                await client.CoreV1.CreateNamespacedPodAsync(pod, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.Conflict)
            {
                // Created by an earlier reconcile whose status write was lost: the pod is what we wanted.
            }
        }
    }

    private async Task<TJob> PersistStatusAsync(TJob job, TStatus status, CancellationToken cancellationToken)
    {
        if (StatusComparer.AreEqual(job.Status, status))
        {
            return job;
        }

        // A copy with the new status: the job itself may be the informer's cached object.
        var updated = KubernetesJson.Deserialize<TJob>(KubernetesJson.Serialize(job));
        updated.Status = status;
        return await jobs.ReplaceStatusAsync(updated, cancellationToken).ConfigureAwait(false);
    }
}

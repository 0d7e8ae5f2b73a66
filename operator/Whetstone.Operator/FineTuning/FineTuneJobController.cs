using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Configuration;
using Whetstone.Operator.Preflight;
using Whetstone.Operator.Runtime.Clients;
using Whetstone.Operator.Runtime.Controllers;
using Whetstone.Operator.Runtime.Events;
using Whetstone.Operator.Runtime.Metrics;
using Whetstone.Operator.Workers;

namespace Whetstone.Operator.FineTuning;

/// <summary>
/// Turns a FineTuneJob into worker pods and follows them. Reconcile reads as a story: validate references, plan
/// (pure; when it would start the first worker of a generation, check the inputs and output once and plan again),
/// reconcile the worker pod, persist status, record events. The same world in makes no writes.
/// </summary>
public sealed class FineTuneJobController(
    IKubernetes client,
    IEntityClient<FineTuneJob> jobs,
    WorkerPodCache pods,
    ReferenceResolver references,
    FineTuneJobPreflight preflight,
    WorkerAccessProvisioner access,
    EventRecorder events,
    OperatorMetrics metrics,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<FineTuneJobController> logger) : IEntityController<FineTuneJob>
{
    /// <inheritdoc />
    public async Task<ReconciliationResult<FineTuneJob>> ReconcileAsync(FineTuneJob entity, CancellationToken cancellationToken)
    {
        var ns = entity.Metadata.NamespaceProperty;
        var references = await ValidateReferencesAsync(entity, cancellationToken).ConfigureAwait(false);
        var workerPods = await pods.ForJobAsync(Kinds.FineTuneJob, ns, entity.Metadata.Name, entity.Status?.WorkerPod, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow().UtcDateTime;
        var plan = FineTuneJobPlanner.Plan(entity, workerPods, references, PreflightVerdict.NotChecked, now, options.Value);
        if (plan.NeedsPreflight)
        {
            var verdict = await preflight.CheckAsync(entity, cancellationToken).ConfigureAwait(false);
            plan = FineTuneJobPlanner.Plan(entity, workerPods, references, verdict, now, options.Value);
        }

        await ReconcileWorkerPodsAsync(entity, plan, cancellationToken).ConfigureAwait(false);
        var before = entity.Status;
        entity = await PersistStatusAsync(entity, plan.Status, cancellationToken).ConfigureAwait(false);
        RecordMetrics(entity, before, plan);
        foreach (var change in plan.Events)
        {
            logger.LogInformation("{Namespace}/{Name}: {Reason}: {Message}", ns, entity.Metadata.Name, change.Reason, change.Message);
            await (change.Warning
                ? events.WarningAsync(entity, change.Reason, change.Message, cancellationToken)
                : events.NormalAsync(entity, change.Reason, change.Message, cancellationToken)).ConfigureAwait(false);
        }

        if (plan.DeleteJob)
        {
            await jobs.DeleteAsync(entity, cancellationToken).ConfigureAwait(false);
        }

        return ReconciliationResult<FineTuneJob>.Success(entity, plan.RequeueAfter);
    }

    /// <inheritdoc />
    public Task<ReconciliationResult<FineTuneJob>> DeletedAsync(FineTuneJob entity, CancellationToken cancellationToken)
    {
        // Worker pods go with their owner (garbage collection); published artifacts are never deleted.
        preflight.Forget(entity);
        logger.LogInformation("{Namespace}/{Name}: deleted; its artifacts stay where they were published", entity.Metadata.NamespaceProperty, entity.Metadata.Name);
        return Task.FromResult(ReconciliationResult<FineTuneJob>.Success(entity));
    }

    private void RecordMetrics(FineTuneJob job, FineTuneJobStatus? before, FineTuneJobPlan plan)
    {
        if (plan.Events.Any(e => e.Reason == WorkerEventReasons.Retrying))
        {
            metrics.CountWorkerRestart(Kinds.FineTuneJob);
        }

        var finishedNow = JobPhases.IsTerminal(plan.Status.Phase) && !JobPhases.IsTerminal(before?.Phase);
        var gpus = job.Spec.Resources?.Gpu?.Count ?? 0;
        if (finishedNow && gpus > 0 && plan.Status.StartTime is { } start && plan.Status.CompletionTime is { } end && end > start)
        {
            metrics.AddGpuSeconds(Kinds.FineTuneJob, gpus * (end - start).TotalSeconds);
        }
    }

    private Task<ReferenceState> ValidateReferencesAsync(FineTuneJob job, CancellationToken cancellationToken) =>
        JobPhases.IsTerminal(job.Status?.Phase)
            ? Task.FromResult(ReferenceState.Resolved)
            : references.ResolveModelAsync(job.Metadata.NamespaceProperty, job.Spec.BaseModel, "spec.baseModel", cancellationToken);

    private async Task ReconcileWorkerPodsAsync(FineTuneJob job, FineTuneJobPlan plan, CancellationToken cancellationToken)
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
            if (options.Value.PerJobServiceAccounts)
            {
                string[] readable = job.Spec.BaseModel?.FineTuneJobRef?.Name is { Length: > 0 } reference ? [reference] : [];
                await access.EnsureAsync(WorkerAccess.Build(job, Plurals.FineTuneJobs, readable), cancellationToken).ConfigureAwait(false);
            }

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

    private async Task<FineTuneJob> PersistStatusAsync(FineTuneJob job, FineTuneJobStatus status, CancellationToken cancellationToken)
    {
        if (StatusComparer.AreEqual(job.Status, status))
        {
            return job;
        }

        var updated = job with { Status = status };
        return await jobs.ReplaceStatusAsync(updated, cancellationToken).ConfigureAwait(false);
    }
}

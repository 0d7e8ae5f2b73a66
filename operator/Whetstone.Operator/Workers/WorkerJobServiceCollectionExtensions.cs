using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Whetstone.Api;
using Whetstone.Operator.Runtime.Controllers;

namespace Whetstone.Operator.Workers;

/// <summary>Registers a kind of worker job: the shared controller, finalizer, preflight and pod ownership, with the kind's description.</summary>
public static class WorkerJobServiceCollectionExtensions
{
    /// <summary>
    /// Registers the worker-job lifecycle for <typeparamref name="TJob"/>, described by <typeparamref name="TKind"/>.
    /// A kind's own extension method (such as <c>AddFineTuneJobs()</c>) calls this, so the host has one line per kind.
    /// </summary>
    public static IServiceCollection AddWorkerJob<TJob, TStatus, TKind>(this IServiceCollection services)
        where TJob : class, IWorkerJob<TStatus>
        where TStatus : class, IWorkerJobStatus, new()
        where TKind : class, IWorkerJobKind<TJob>
    {
        services.TryAddSingleton<ReferenceResolver>();
        services.TryAddSingleton<WorkerAccessProvisioner>();
        services.AddSingleton<IWorkerJobKind<TJob>, TKind>();
        services.AddSingleton<WorkerJobPreflight<TJob>>();
        services.AddController<WorkerJobController<TJob, TStatus>, TJob>(job => job.Status?.Phase);
        services.AddSingleton<IEntityFinalizer<TJob>, WorkerPodFinalizer<TJob>>();
        services.OwnsPods<TJob>(WhetstoneLabels.Kind);
        return services;
    }
}

using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Whetstone.Operator.Configuration;
using Whetstone.Operator.Runtime.Clients;
using Whetstone.Operator.Runtime.Informers;
using Whetstone.Operator.Runtime.Leadership;
using Whetstone.Operator.Runtime.Metrics;

namespace Whetstone.Operator.Runtime.Controllers;

/// <summary>Registration in the shape operator SDKs use: <c>services.AddController&lt;TController, TEntity&gt;()</c>.</summary>
public static class ControllerServiceCollectionExtensions
{
    /// <summary>Registers a controller for a custom resource, with optional finalizers.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="phaseOf">Reads an object's phase, for the <c>whetstone_jobs</c> gauge; null for kinds without one.</param>
    public static IServiceCollection AddController<TController, TEntity>(this IServiceCollection services, Func<TEntity, string?>? phaseOf = null)
        where TController : class, IEntityController<TEntity>
        where TEntity : class, IKubernetesObject<V1ObjectMeta>
    {
        services.AddSingleton<TController>();
        services.AddSingleton<IEntityClient<TEntity>>(sp => new CustomResourceClient<TEntity>(sp.GetRequiredService<IKubernetes>()));
        services.AddSingleton(new ControllerRegistration(typeof(TEntity), sp =>
        {
            var client = sp.GetRequiredService<IKubernetes>();
            var options = sp.GetRequiredService<IOptions<OperatorOptions>>().Value;
            var loggers = sp.GetRequiredService<ILoggerFactory>();
            var informer = new Informer<TEntity>(
                ResourceSources.CustomResources<TEntity>(client, string.IsNullOrEmpty(options.WatchNamespace) ? null : options.WatchNamespace),
                loggers.CreateLogger($"Whetstone.Operator.Informer.{typeof(TEntity).Name}"));
            var metrics = sp.GetRequiredService<OperatorMetrics>();
            if (phaseOf is not null)
            {
                metrics.ObserveJobs(typeof(TEntity).Name, () => informer.List()
                    .GroupBy(e => phaseOf(e) ?? "Pending", StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal));
            }

            return new ControllerRunner<TEntity>(
                informer,
                sp.GetRequiredService<TController>(),
                sp.GetServices<IEntityFinalizer<TEntity>>(),
                sp.GetRequiredService<IEntityClient<TEntity>>(),
                metrics,
                loggers.CreateLogger($"Whetstone.Operator.Controller.{typeof(TEntity).Name}"),
                new ControllerOptions { Workers = options.Workers, Fence = options.LeaderElection ? sp.GetRequiredService<LeaseFence>() : null });
        }));
        return services;
    }
}

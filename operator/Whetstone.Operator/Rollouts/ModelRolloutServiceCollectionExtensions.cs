using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Rollouts.Analysis;
using Whetstone.Operator.Rollouts.Reports;
using Whetstone.Operator.Runtime.Controllers;

namespace Whetstone.Operator.Rollouts;

/// <summary>Registers the ModelRollout kind.</summary>
public static class ModelRolloutServiceCollectionExtensions
{
    /// <summary>The ModelRollout controller, its Prometheus client, analyzer and metrics.</summary>
    public static IServiceCollection AddModelRollouts(this IServiceCollection services)
    {
        services.AddHttpClient<PrometheusClient>(http => http.Timeout = TimeSpan.FromSeconds(10));
        services.TryAddSingleton<MetricAnalyzer>();
        services.TryAddSingleton<ServingLoadReader>();
        services.TryAddSingleton<RolloutReporter>();
        services.TryAddSingleton<RolloutMetrics>();
        services.TryAddSingleton(sp => new RolloutWorld(sp.GetRequiredService<IKubernetes>()));
        services.OwnsDeployments<ModelRollout>(WhetstoneLabels.Rollout);
        return services.AddController<ModelRolloutController, ModelRollout>(r => r.Status?.Phase);
    }
}

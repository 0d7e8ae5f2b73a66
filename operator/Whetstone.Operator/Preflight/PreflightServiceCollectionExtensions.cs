using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Whetstone.Operator.Configuration;

namespace Whetstone.Operator.Preflight;

/// <summary>Registers the preflight check and the operator's artifact store access.</summary>
public static class PreflightServiceCollectionExtensions
{
    /// <summary>Adds <see cref="PreflightOptions"/> (section <c>Whetstone:Preflight</c>), the store provider, the checks and the verdict cache.</summary>
    public static IServiceCollection AddPreflight(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<PreflightOptions>(configuration.GetSection(PreflightOptions.Section));
        services.AddSingleton<ArtifactStoreProvider>();
        services.AddSingleton<ArtifactChecks>();
        services.AddSingleton<PreflightCache>();
        return services;
    }
}

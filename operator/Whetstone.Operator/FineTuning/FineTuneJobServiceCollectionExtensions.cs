using Microsoft.Extensions.DependencyInjection;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Workers;

namespace Whetstone.Operator.FineTuning;

/// <summary>Registers the FineTuneJob kind.</summary>
public static class FineTuneJobServiceCollectionExtensions
{
    /// <summary>The FineTuneJob controller, its finalizer, preflight checks and worker pods.</summary>
    public static IServiceCollection AddFineTuneJobs(this IServiceCollection services) =>
        services.AddWorkerJob<FineTuneJob, FineTuneJobStatus, FineTuneJobKind>();
}

using Microsoft.Extensions.DependencyInjection;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Workers;

namespace Whetstone.Operator.Compression;

/// <summary>Registers the CompressionJob kind.</summary>
public static class CompressionJobServiceCollectionExtensions
{
    /// <summary>The CompressionJob controller, its finalizer, preflight checks and worker pods.</summary>
    public static IServiceCollection AddCompressionJobs(this IServiceCollection services) =>
        services.AddWorkerJob<CompressionJob, CompressionJobStatus, CompressionJobKind>();
}

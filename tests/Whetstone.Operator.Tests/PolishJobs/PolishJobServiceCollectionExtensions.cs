using Microsoft.Extensions.DependencyInjection;
using Whetstone.Operator.Workers;

namespace Whetstone.Operator.Tests.PolishJobs;

public static class PolishJobServiceCollectionExtensions
{
    /// <summary>The one registration line a new kind needs.</summary>
    public static IServiceCollection AddPolishJobs(this IServiceCollection services) =>
        services.AddWorkerJob<PolishJob, PolishJobStatus, PolishJobKind>();
}

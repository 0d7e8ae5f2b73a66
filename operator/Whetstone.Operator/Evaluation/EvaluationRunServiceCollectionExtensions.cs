using Microsoft.Extensions.DependencyInjection;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Workers;

namespace Whetstone.Operator.Evaluation;

/// <summary>Registers the EvaluationRun kind.</summary>
public static class EvaluationRunServiceCollectionExtensions
{
    /// <summary>The EvaluationRun controller, its finalizer, preflight checks and worker pods.</summary>
    public static IServiceCollection AddEvaluationRuns(this IServiceCollection services) =>
        services.AddWorkerJob<EvaluationRun, EvaluationRunStatus, EvaluationRunKind>();
}

using Whetstone.Api.V1Alpha1;

namespace Whetstone.Api;

/// <summary>
/// The spec fields every job that runs in worker pods shares (FineTuneJob, CompressionJob, EvaluationRun): what the
/// generic job lifecycle in the operator reads. The JSON names are the kinds' own; this interface adds none.
/// </summary>
public interface IWorkerJobSpec
{
    /// <summary>What the worker pod asks for and where it may run.</summary>
    WorkerResources? Resources { get; }

    /// <summary>The Kueue LocalQueue, if any.</summary>
    string? QueueName { get; }

    /// <summary>Retries, deadline, clean-up and suspension.</summary>
    RunPolicy? RunPolicy { get; }

    /// <summary>Where the job writes its artifacts.</summary>
    OutputLocation? Output { get; }

    /// <summary>Prices for the cost estimate and the actual cost.</summary>
    CostSettings? Cost { get; }
}

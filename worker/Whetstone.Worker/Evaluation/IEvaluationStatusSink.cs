using Whetstone.Api.V1Alpha1;

namespace Whetstone.Worker.Evaluation;

/// <summary>Where the worker-owned part of an EvaluationRun's status goes: a file (standalone) or the status subresource (pod).</summary>
internal interface IEvaluationStatusSink
{
    /// <summary>Writes verdict, scores, gates, contamination and report (never phase or conditions).</summary>
    Task WriteAsync(EvaluationRunStatus status, CancellationToken cancellationToken);
}

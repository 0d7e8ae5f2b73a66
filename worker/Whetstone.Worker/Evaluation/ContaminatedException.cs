using Whetstone.Api;
using Whetstone.Api.V1Alpha1;

namespace Whetstone.Worker.Evaluation;

/// <summary>The test data overlaps the training data above maxOverlap: the run fails Contaminated before scoring, keeping what the check found.</summary>
internal sealed class ContaminatedException(EvaluationRunStatus status, string message) : Exception(message)
{
    public string Reason => ConditionReasons.Contaminated;

    /// <summary>The status with the contamination finding, to write before failing.</summary>
    public EvaluationRunStatus Status { get; } = status;
}

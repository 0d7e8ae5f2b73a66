namespace Whetstone.Operator.Workers;

/// <summary>What creating a job's worker account found (see <see cref="WorkerAccessProvisioner"/>).</summary>
/// <param name="Refused">An object of that name exists and belongs to something else: it was not adopted.</param>
/// <param name="Message">What was found, in words.</param>
public sealed record WorkerAccessOutcome(bool Refused, string Message)
{
    /// <summary>The three objects exist and belong to the job.</summary>
    public static WorkerAccessOutcome Ready { get; } = new(false, "the worker account belongs to the job");
}

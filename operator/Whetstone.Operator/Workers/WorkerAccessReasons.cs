namespace Whetstone.Operator.Workers;

/// <summary>Condition and event reasons about a job's worker account.</summary>
public static class WorkerAccessReasons
{
    /// <summary>
    /// A ServiceAccount, Role or RoleBinding with the name of the job's worker account exists but was not created for
    /// this job (no controller owner reference to it): the operator does not adopt it, and the job fails.
    /// </summary>
    public const string WorkerAccountNotOwned = "WorkerAccountNotOwned";
}

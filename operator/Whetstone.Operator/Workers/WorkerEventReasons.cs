namespace Whetstone.Operator.Workers;

/// <summary>Event reasons about worker attempts (condition reasons live in Whetstone.Api.ConditionReasons).</summary>
public static class WorkerEventReasons
{
    /// <summary>A worker pod was created for an attempt.</summary>
    public const string AttemptStarted = "AttemptStarted";

    /// <summary>A failed attempt will be retried.</summary>
    public const string Retrying = "Retrying";

    /// <summary>A worker pod was stopped (suspend, deadline, deletion).</summary>
    public const string WorkerStopped = "WorkerStopped";

    /// <summary>A finished job was deleted after its time to live.</summary>
    public const string Expired = "Expired";

    /// <summary>The job names a GPU product the price table does not know: its cost estimate uses the default rate.</summary>
    public const string UnknownGpuProduct = "UnknownGpuProduct";
}

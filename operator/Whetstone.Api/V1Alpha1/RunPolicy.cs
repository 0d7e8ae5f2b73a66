using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>How a job's worker is retried, bounded in time, suspended and cleaned up.</summary>
public sealed record RunPolicy
{
    /// <summary>Worker retries before the job is Failed with BackoffLimitExceeded.</summary>
    [Range(Minimum = 0, Maximum = 100)]
    [DefaultValue(2)]
    public int? BackoffLimit { get; set; }

    /// <summary>Seconds the job may run (all attempts together) before it is Failed with DeadlineExceeded.</summary>
    [Range(Minimum = 1)]
    [DefaultValue(86400)]
    public long? ActiveDeadlineSeconds { get; set; }

    /// <summary>Delete the object (never its artifacts) this many seconds after it finished; unset keeps it.</summary>
    [Range(Minimum = 0)]
    public int? TtlSecondsAfterFinished { get; set; }

    /// <summary>True stops the worker pod and keeps the checkpoint; false again resumes from it.</summary>
    [DefaultValue(false)]
    public bool? Suspend { get; set; }
}

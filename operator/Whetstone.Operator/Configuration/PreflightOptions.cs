namespace Whetstone.Operator.Configuration;

/// <summary>
/// The check a job's inputs and output get before its first worker pod of a generation (section
/// <c>Whetstone:Preflight</c>).
/// </summary>
public sealed record PreflightOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Whetstone:Preflight";

    /// <summary>Check at all; off, every job starts its worker at once and the worker finds problems itself.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// Check <c>file://</c> URIs on the operator's own file system. Right for the embedded mode, where the operator
    /// and the workers share one machine; turn it off on a cluster where <c>file://</c> paths name volumes that only
    /// worker pods mount.
    /// </summary>
    public bool CheckFileUris { get; init; } = true;

    /// <summary>The wait before the first re-check while the artifact store is unavailable; doubles per check.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between re-checks while the artifact store is unavailable.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Timeout of one artifact store request made by the check: short, because the check runs inside a reconcile and
    /// the controller's own back-off retries it.
    /// </summary>
    public TimeSpan StoreRequestTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Retries of one store request after a transient error, within one check.</summary>
    public int StoreMaxRetryAttempts { get; init; } = 1;
}

namespace Whetstone.Operator.Runtime.Leadership;

/// <summary>The Lease that replicas compete for, and its timings (client-go's defaults).</summary>
public sealed record LeaderElectionOptions
{
    /// <summary>Namespace of the Lease.</summary>
    public string Namespace { get; init; } = "default";

    /// <summary>Name of the Lease.</summary>
    public string LeaseName { get; init; } = "whetstone-operator";

    /// <summary>This replica's identity (defaults to host name plus a random suffix).</summary>
    public string Identity { get; init; } = $"{Environment.MachineName}-{Guid.NewGuid():N}"[..Math.Min(63, Environment.MachineName.Length + 33)];

    /// <summary>How long a lease holds without renewal.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps trying to renew before it gives up leadership.</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often candidates try to acquire or renew.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);
}

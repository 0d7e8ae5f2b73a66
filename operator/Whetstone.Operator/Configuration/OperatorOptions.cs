namespace Whetstone.Operator.Configuration;

/// <summary>The operator's own settings (section <c>Whetstone:Operator</c>).</summary>
public sealed record OperatorOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Whetstone:Operator";

    /// <summary>A kubeconfig to use; empty means in-cluster configuration, else $KUBECONFIG or ~/.kube/config.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>Watch only this namespace; empty watches all namespaces.</summary>
    public string? WatchNamespace { get; init; }

    /// <summary>Compete for a Lease before reconciling (turn off only for a single replica in tests).</summary>
    public bool LeaderElection { get; init; } = true;

    /// <summary>Reconciles of different objects that may run at once, per kind.</summary>
    public int Workers { get; init; } = 4;

    /// <summary>
    /// How long a ModelRollout step waits for the canary pods its weight needs before it rolls back (a model that fails
    /// to load, a pod that cannot start).
    /// </summary>
    public TimeSpan CanaryReadyTimeout { get; init; } = TimeSpan.FromMinutes(10);
}

namespace Whetstone.Operator.Tests.Rollouts;

/// <summary>
/// Test collections of the rollout tests: the classes that start a Prometheus run one after the other, so two
/// Prometheus processes and an embedded cluster never start at once on a 2-core runner.
/// </summary>
public static class RolloutCollections
{
    public const string Prometheus = "Rollouts with Prometheus";
}

namespace Whetstone.Operator.Hosting;

/// <summary>What a replica does in the group of operator replicas.</summary>
public enum OperatorRole
{
    /// <summary>Started, has not read the Lease yet.</summary>
    Starting,

    /// <summary>Another replica leads; this one stands by to take over.</summary>
    Standby,

    /// <summary>Runs the controllers.</summary>
    Leader,
}

namespace Whetstone.LocalCluster.Node.Scheduling;

/// <summary>Whether a Pod fits one node, and if not the kube-scheduler style reasons (for example "Insufficient cpu").</summary>
public sealed record PodFitResult(IReadOnlyList<string> Reasons)
{
    /// <summary>True when no reason keeps the Pod off the node.</summary>
    public bool Fits => Reasons.Count == 0;
}

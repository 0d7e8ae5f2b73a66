using System.Globalization;

namespace Whetstone.LocalCluster.Node.Scheduling;

/// <summary>Formats why a Pod fits no node, worded as kube-scheduler words it.</summary>
public static class SchedulingMessage
{
    /// <summary>
    /// Builds "0/N nodes are available: 1 Insufficient cpu, 1 Insufficient nvidia.com/gpu." from the
    /// per-node results (reasons counted over nodes, sorted).
    /// </summary>
    public static string FormatUnschedulable(IReadOnlyCollection<PodFitResult> perNode)
    {
        ArgumentNullException.ThrowIfNull(perNode);
        var counts = perNode
            .SelectMany(result => result.Reasons.Distinct())
            .GroupBy(reason => reason, StringComparer.Ordinal)
            .Select(group => string.Create(CultureInfo.InvariantCulture, $"{group.Count()} {group.Key}"))
            .Order(StringComparer.Ordinal);
        var available = perNode.Count(result => result.Fits);
        return string.Create(CultureInfo.InvariantCulture, $"{available}/{perNode.Count} nodes are available: {string.Join(", ", counts)}.");
    }
}

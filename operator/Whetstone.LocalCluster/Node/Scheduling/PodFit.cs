using System.Globalization;
using k8s.Models;

namespace Whetstone.LocalCluster.Node.Scheduling;

/// <summary>The scheduler's filter step for one node: resources, node selector and affinity, taints.</summary>
public static class PodFit
{
    /// <summary>
    /// Checks <paramref name="pod"/> against <paramref name="node"/>, given the Pods already assigned to it
    /// that still hold resources (not Succeeded or Failed).
    /// </summary>
    public static PodFitResult Calculate(V1Pod pod, V1Node node, IEnumerable<V1Pod> podsHoldingResources)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(podsHoldingResources);

        var reasons = new List<string>();
        if (node.Spec?.Unschedulable == true)
        {
            reasons.Add("node(s) were unschedulable");
        }

        if (!MatchesNodeSelector(pod, node) || !MatchesRequiredNodeAffinity(pod, node))
        {
            reasons.Add("node(s) didn't match Pod's node affinity/selector");
        }

        var untolerated = (node.Spec?.Taints ?? [])
            .FirstOrDefault(taint => taint.Effect is "NoSchedule" or "NoExecute" && !IsTolerated(taint, pod.Spec?.Tolerations));
        if (untolerated is not null)
        {
            reasons.Add($"node(s) had untolerated taint {{{untolerated.Key}: {untolerated.Value}}}");
        }

        reasons.AddRange(CalculateResourceShortfalls(pod, node, podsHoldingResources.ToList()));
        return new PodFitResult(reasons);
    }

    /// <summary>True when some toleration in <paramref name="tolerations"/> tolerates <paramref name="taint"/>.</summary>
    public static bool IsTolerated(V1Taint taint, IEnumerable<V1Toleration>? tolerations)
    {
        ArgumentNullException.ThrowIfNull(taint);
        return (tolerations ?? []).Any(toleration => Tolerates(toleration, taint));
    }

    private static bool Tolerates(V1Toleration toleration, V1Taint taint)
    {
        if (!string.IsNullOrEmpty(toleration.Effect) && toleration.Effect != taint.Effect)
        {
            return false;
        }

        if (string.IsNullOrEmpty(toleration.Key))
        {
            return toleration.OperatorProperty == "Exists";
        }

        if (toleration.Key != taint.Key)
        {
            return false;
        }

        return toleration.OperatorProperty == "Exists" || (toleration.Value ?? "") == (taint.Value ?? "");
    }

    private static bool MatchesNodeSelector(V1Pod pod, V1Node node)
    {
        var labels = node.Metadata?.Labels ?? new Dictionary<string, string>();
        return (pod.Spec?.NodeSelector ?? new Dictionary<string, string>())
            .All(pair => labels.TryGetValue(pair.Key, out var value) && value == pair.Value);
    }

    private static bool MatchesRequiredNodeAffinity(V1Pod pod, V1Node node)
    {
        var terms = pod.Spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms;
        if (terms is null || terms.Count == 0)
        {
            return true;
        }

        var labels = node.Metadata?.Labels ?? new Dictionary<string, string>();
        return terms.Any(term => (term.MatchExpressions ?? []).All(expression => Matches(expression, labels)));
    }

    private static bool Matches(V1NodeSelectorRequirement requirement, IDictionary<string, string> labels)
    {
        var present = labels.TryGetValue(requirement.Key, out var value);
        var values = requirement.Values ?? [];
        return requirement.OperatorProperty switch
        {
            "In" => present && values.Contains(value!),
            "NotIn" => !present || !values.Contains(value!),
            "Exists" => present,
            "DoesNotExist" => !present,
            "Gt" => present && long.TryParse(value, CultureInfo.InvariantCulture, out var gt) && values.Count == 1
                && gt > long.Parse(values[0], CultureInfo.InvariantCulture),
            "Lt" => present && long.TryParse(value, CultureInfo.InvariantCulture, out var lt) && values.Count == 1
                && lt < long.Parse(values[0], CultureInfo.InvariantCulture),
            _ => false,
        };
    }

    private static IEnumerable<string> CalculateResourceShortfalls(V1Pod pod, V1Node node, List<V1Pod> assigned)
    {
        var allocatable = node.Status?.Allocatable ?? new Dictionary<string, ResourceQuantity>();
        if (allocatable.TryGetValue("pods", out var maxPods) && assigned.Count + 1 > maxPods.ToDecimal())
        {
            yield return "Too many pods";
        }

        var used = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var other in assigned)
        {
            foreach (var (name, amount) in PodResourceRequests.Calculate(other))
            {
                used[name] = used.GetValueOrDefault(name) + amount;
            }
        }

        foreach (var (name, requested) in PodResourceRequests.Calculate(pod).OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (requested <= 0)
            {
                continue;
            }

            // A resource the node does not list is one it has none of (kube-scheduler treats extended resources so).
            var available = allocatable.TryGetValue(name, out var quantity) ? quantity.ToDecimal() : 0m;
            if (used.GetValueOrDefault(name) + requested > available)
            {
                yield return $"Insufficient {name}";
            }
        }
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Models;

namespace Whetstone.LocalCluster.Node.Deployments;

/// <summary>
/// The Deployment controller's decisions, as pure functions of the Deployment and the Pods it owns. Pods carry a
/// <c>pod-template-hash</c> label of the template they were made from; those with the current hash are "updated".
/// A rolling update keeps at most <c>replicas + maxSurge</c> Pods and at least <c>replicas - maxUnavailable</c>
/// ready ones (defaults 25 % each, surge rounded up, unavailability down, as in Kubernetes); Recreate deletes
/// every old Pod before creating new ones.
/// </summary>
internal static class RolloutCalculation
{
    public const string TemplateHashLabel = "pod-template-hash";

    /// <summary>A stable hash of the Pod template (10 hex characters), as the label value and in Pod names.</summary>
    public static string CalculateTemplateHash(V1PodTemplateSpec template)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(KubernetesJson.Serialize(template)));
        return Convert.ToHexStringLower(bytes)[..10];
    }

    public static RolloutStep Calculate(V1Deployment deployment, IReadOnlyList<V1Pod> ownedPods, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(ownedPods);
        var replicas = deployment.Spec.Replicas ?? 1;
        var hash = CalculateTemplateHash(deployment.Spec.Template);
        var finished = ownedPods.Where(IsFinished).ToList();
        var active = ownedPods.Where(pod => pod.Metadata.DeletionTimestamp is null && !IsFinished(pod)).ToList();
        var updated = active.Where(pod => HashOf(pod) == hash).ToList();
        var old = active.Where(pod => HashOf(pod) != hash).ToList();
        var (maxSurge, maxUnavailable) = CalculateLimits(deployment, replicas);

        var delete = new List<V1Pod>(finished);
        int create;
        if (old.Count == 0)
        {
            create = Math.Max(0, replicas - updated.Count);
            delete.AddRange(PreferUnready(updated).Take(Math.Max(0, updated.Count - replicas)));
        }
        else if (deployment.Spec.Strategy?.Type == "Recreate")
        {
            create = 0;
            delete.AddRange(old);
        }
        else
        {
            create = Math.Max(0, Math.Min(replicas - updated.Count, replicas + maxSurge - active.Count));
            var ready = active.Count(IsReady);
            var removable = Math.Max(0, ready - (replicas - maxUnavailable));
            var unreadyOld = old.Where(pod => !IsReady(pod)).ToList();
            delete.AddRange(unreadyOld);
            delete.AddRange(old.Where(IsReady).Take(removable));
            delete.AddRange(PreferUnready(updated).Take(Math.Max(0, updated.Count - replicas)));
        }

        return new RolloutStep(create, delete, CalculateStatus(deployment, active, updated, replicas, maxUnavailable, now));
    }

    private static V1DeploymentStatus CalculateStatus(
        V1Deployment deployment, List<V1Pod> active, List<V1Pod> updated, int replicas, int maxUnavailable, DateTime now)
    {
        var available = active.Count(IsReady);
        var complete = updated.Count == replicas && active.Count == replicas && available == replicas;
        var previous = deployment.Status?.Conditions ?? [];
        var isAvailable = available >= replicas - maxUnavailable;
        return new V1DeploymentStatus
        {
            ObservedGeneration = deployment.Metadata.Generation,
            Replicas = active.Count,
            UpdatedReplicas = updated.Count,
            ReadyReplicas = available,
            AvailableReplicas = available,
            UnavailableReplicas = Math.Max(0, replicas - available),
            Conditions =
            [
                Condition(previous, "Available", isAvailable, isAvailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                    isAvailable ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", now),
                Condition(previous, "Progressing", true, complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
                    complete ? $"Deployment \"{deployment.Metadata.Name}\" has successfully progressed." : $"Deployment \"{deployment.Metadata.Name}\" is progressing.", now),
            ],
        };
    }

    private static (int MaxSurge, int MaxUnavailable) CalculateLimits(V1Deployment deployment, int replicas)
    {
        var rolling = deployment.Spec.Strategy?.RollingUpdate;
        var surge = Resolve(rolling?.MaxSurge?.Value ?? "25%", replicas, roundUp: true);
        var unavailable = Resolve(rolling?.MaxUnavailable?.Value ?? "25%", replicas, roundUp: false);
        // Both zero would never progress; Kubernetes then allows one unavailable Pod.
        return surge == 0 && unavailable == 0 ? (0, 1) : (surge, unavailable);
    }

    private static int Resolve(string value, int replicas, bool roundUp)
    {
        if (value.EndsWith('%'))
        {
            var fraction = double.Parse(value[..^1], CultureInfo.InvariantCulture) * replicas / 100;
            return (int)(roundUp ? Math.Ceiling(fraction) : Math.Floor(fraction));
        }

        return int.Parse(value, CultureInfo.InvariantCulture);
    }

    private static IEnumerable<V1Pod> PreferUnready(IEnumerable<V1Pod> pods) =>
        pods.OrderBy(IsReady).ThenByDescending(pod => pod.Metadata.CreationTimestamp);

    private static string? HashOf(V1Pod pod) => pod.Metadata.Labels?.TryGetValue(TemplateHashLabel, out var hash) == true ? hash : null;

    private static bool IsFinished(V1Pod pod) => pod.Status?.Phase is "Succeeded" or "Failed";

    private static bool IsReady(V1Pod pod) => pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    private static V1DeploymentCondition Condition(
        IList<V1DeploymentCondition> previous, string type, bool status, string reason, string message, DateTime now)
    {
        var text = status ? "True" : "False";
        var before = previous.FirstOrDefault(c => c.Type == type);
        var changed = before is null || before.Status != text;
        return new V1DeploymentCondition
        {
            Type = type,
            Status = text,
            Reason = reason,
            Message = message,
            LastTransitionTime = changed ? now : before!.LastTransitionTime,
            LastUpdateTime = changed || before!.Reason != reason ? now : before.LastUpdateTime,
        };
    }
}

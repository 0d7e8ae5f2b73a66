using k8s.Models;
using Whetstone.LocalCluster.Networking;

namespace Whetstone.LocalCluster.Node.Kubelet;

/// <summary>
/// Gives each Pod this node runs its own address in <see cref="LoopbackRange.Pods"/>. The API server is the
/// record: a Pod that already reports an address in the range keeps it (so a node restart changes nothing), and
/// a new Pod gets the next address no other Pod reports or holds. A deleted Pod's address is released; it is
/// handed out again only after the rest of the range, so a stale endpoint rarely reaches a newer Pod.
/// </summary>
internal sealed class PodAddresses(LoopbackRange range)
{
    private readonly Dictionary<string, string> _byUid = new(StringComparer.Ordinal);
    private int _next;

    /// <summary>The address of <paramref name="pod"/>, assigning one when it has none; null when the range is full.</summary>
    public string? Assign(V1Pod pod, IReadOnlyCollection<V1Pod> nodePods)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(nodePods);
        var uid = pod.Metadata.Uid;
        if (_byUid.TryGetValue(uid, out var held))
        {
            return held;
        }

        var used = _byUid.Values
            .Concat(nodePods.Where(other => other.Metadata.Uid != uid && !IsFinished(other)).Select(other => other.Status?.PodIP).OfType<string>())
            .ToHashSet(StringComparer.Ordinal);
        var address = pod.Status?.PodIP is { } reported && range.Contains(reported) && !used.Contains(reported)
            ? reported
            : range.CalculateFree(used, _next);
        if (address is not null)
        {
            _byUid[uid] = address;
            _next = (range.IndexOf(address) + 1) % range.Capacity;
        }

        return address;
    }

    /// <summary>Frees the address of a Pod that is gone.</summary>
    public void Release(string uid) => _byUid.Remove(uid);

    private static bool IsFinished(V1Pod pod) => pod.Status?.Phase is "Succeeded" or "Failed";
}

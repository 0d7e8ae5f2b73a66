using k8s.Models;
using Whetstone.LocalCluster.Networking;

namespace Whetstone.LocalCluster.Node.Kubelet;

/// <summary>
/// Gives each Pod this node runs its own address in <see cref="LoopbackRange.Pods"/>. The API server is the
/// record: a Pod that already reports an address in the range keeps it (so a node restart changes nothing), and
/// a new Pod gets the next address no other Pod reports or holds. A deleted Pod's address is released; it is
/// handed out again only after the rest of the range, so a stale endpoint rarely reaches a newer Pod.
/// Loopback is shared by every cluster on the machine (two <c>whetstone up</c>, or test fixtures side by side), which
/// the API server cannot see: allocation starts at <paramref name="start"/> (the node picks a random one), and an
/// address where something already listens on one of the Pod's declared ports (<paramref name="taken"/>) is skipped.
/// Before this, a test Pod whose server could not bind its address was "ready" through another cluster's server.
/// </summary>
internal sealed class PodAddresses(LoopbackRange range, int start = 0, Func<string, V1Pod, bool>? taken = null)
{
    // Addresses tried for one Pod before giving up on this pass (each refusal is a listener found on loopback).
    private const int MaxProbes = 64;
    private readonly Dictionary<string, string> _byUid = new(StringComparer.Ordinal);
    private int _next = start % range.Capacity;

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
            : FindFree(pod, used);
        if (address is not null)
        {
            _byUid[uid] = address;
            _next = (range.IndexOf(address) + 1) % range.Capacity;
        }

        return address;
    }

    private string? FindFree(V1Pod pod, HashSet<string> used)
    {
        for (var probe = 0; probe < MaxProbes; probe++)
        {
            if (range.CalculateFree(used, _next) is not { } candidate)
            {
                return null;
            }

            if (taken is null || !taken(candidate, pod))
            {
                return candidate;
            }

            used.Add(candidate);
        }

        return null;
    }

    /// <summary>Frees the address of a Pod that is gone.</summary>
    public void Release(string uid) => _byUid.Remove(uid);

    private static bool IsFinished(V1Pod pod) => pod.Status?.Phase is "Succeeded" or "Failed";
}

using k8s.Models;

namespace Whetstone.LocalCluster.Node.Kubelet;

/// <summary>
/// What a container's environment may refer to: the Pod's ConfigMaps and Secrets (by name, only those that
/// exist), the node's IP, the Pod's own loopback address, and the node's allocatable cpu/memory (what resourceFieldRef reports without limits).
/// </summary>
public sealed record EnvironmentSources(
    IReadOnlyDictionary<string, V1ConfigMap> ConfigMaps,
    IReadOnlyDictionary<string, V1Secret> Secrets,
    string HostIp,
    string PodIp,
    IReadOnlyDictionary<string, ResourceQuantity> NodeAllocatable);

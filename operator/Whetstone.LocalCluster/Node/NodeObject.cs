using System.Globalization;
using System.Runtime.InteropServices;
using k8s.Models;

namespace Whetstone.LocalCluster.Node;

/// <summary>The Node object the local node registers, built from its options.</summary>
public static class NodeObject
{
    /// <summary>The address the node, its Pods and its Services are reachable at.</summary>
    public const string HostIp = "127.0.0.1";

    /// <summary>Capacity (equal to allocatable: nothing is reserved for system daemons here).</summary>
    public static Dictionary<string, ResourceQuantity> CalculateCapacity(LocalNodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var capacity = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal)
        {
            ["cpu"] = new(options.Cpu),
            ["memory"] = new(options.Memory),
            ["pods"] = new(options.MaxPods.ToString(CultureInfo.InvariantCulture)),
        };
        if (options.GpuSlots > 0)
        {
            capacity[options.GpuResourceName] = new(options.GpuSlots.ToString(CultureInfo.InvariantCulture));
        }

        return capacity;
    }

    /// <summary>Labels: the standard hostname/os/arch ones, then the configured extra labels.</summary>
    public static Dictionary<string, string> CalculateLabels(LocalNodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["kubernetes.io/hostname"] = options.NodeName,
            ["kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = Architecture,
            ["beta.kubernetes.io/os"] = "linux",
            ["beta.kubernetes.io/arch"] = Architecture,
        };
        foreach (var (key, value) in options.Labels)
        {
            labels[key] = value;
        }

        return labels;
    }

    /// <summary>The whole Node: metadata, spec (taints) and a Ready status stamped at <paramref name="now"/>.</summary>
    public static V1Node Build(LocalNodeOptions options, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new V1Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new V1ObjectMeta { Name = options.NodeName, Labels = CalculateLabels(options) },
            Spec = new V1NodeSpec
            {
                Taints = [.. options.Taints.Select(taint => new V1Taint { Key = taint.Key, Value = taint.Value, Effect = taint.Effect })],
            },
            Status = BuildStatus(options, now),
        };
    }

    /// <summary>Node status with fresh heartbeats; the conditions' transition time is when this node process started.</summary>
    public static V1NodeStatus BuildStatus(LocalNodeOptions options, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(options);
        var capacity = CalculateCapacity(options);
        return new V1NodeStatus
        {
            Capacity = capacity,
            Allocatable = new Dictionary<string, ResourceQuantity>(capacity, StringComparer.Ordinal),
            Phase = "Running",
            Addresses =
            [
                new V1NodeAddress { Type = "InternalIP", Address = HostIp },
                new V1NodeAddress { Type = "Hostname", Address = options.NodeName },
            ],
            Conditions =
            [
                Condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", now),
                Condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", now),
                Condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", now),
                Condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", now),
            ],
            NodeInfo = new V1NodeSystemInfo
            {
                Architecture = Architecture,
                OperatingSystem = "linux",
                OsImage = RuntimeInformation.OSDescription,
                KernelVersion = Environment.OSVersion.Version.ToString(),
                KubeletVersion = "v1.32.0-whetstone",
                KubeProxyVersion = "v1.32.0-whetstone",
                ContainerRuntimeVersion = "whetstone-local://1",
                MachineID = options.NodeName,
                SystemUUID = options.NodeName,
                BootID = StartedAt.ToString("O", CultureInfo.InvariantCulture),
            },
        };
    }

    private static readonly DateTime StartedAt = DateTime.UtcNow;

    private static string Architecture => RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        _ => "amd64",
    };

    private static V1NodeCondition Condition(string type, string status, string reason, string message, DateTime now) => new()
    {
        Type = type,
        Status = status,
        Reason = reason,
        Message = message,
        LastHeartbeatTime = now,
        LastTransitionTime = StartedAt,
    };
}

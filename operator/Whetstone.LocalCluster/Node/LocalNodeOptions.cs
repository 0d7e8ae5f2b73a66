namespace Whetstone.LocalCluster.Node;

/// <summary>
/// What the local node advertises and how it runs containers. Bindable from configuration
/// (for example the <c>LocalNode</c> section of appsettings or <c>LocalNode__GpuSlots=1</c>).
/// </summary>
public sealed class LocalNodeOptions
{
    /// <summary>Name of the Node object this node registers (also its <c>kubernetes.io/hostname</c> label).</summary>
    public string NodeName { get; set; } = "local";

    /// <summary>
    /// The cluster's data directory. Pod logs go to <c>pods/&lt;namespace&gt;/&lt;name&gt;/&lt;container&gt;.log</c>
    /// and each Pod's working directory to <c>pods/&lt;namespace&gt;/&lt;name&gt;/work</c> under it.
    /// </summary>
    public string DataDirectory { get; set; } = ".whetstone";

    /// <summary>CPU the node offers, as a Kubernetes quantity ("2", "1500m"). Default: the machine's processor count.</summary>
    public string Cpu { get; set; } = Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Memory the node offers, as a Kubernetes quantity ("8Gi"). Default: the memory this process may use.</summary>
    public string Memory { get; set; } = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>How many Pods the node accepts at once (Kubernetes' default is 110).</summary>
    public int MaxPods { get; set; } = 110;

    /// <summary>How many GPU "slots" the node offers under <see cref="GpuResourceName"/>; zero advertises none.</summary>
    public int GpuSlots { get; set; }

    /// <summary>The extended resource name GPU slots are advertised as.</summary>
    public string GpuResourceName { get; set; } = "nvidia.com/gpu";

    /// <summary>Extra node labels (for example <c>nvidia.com/gpu.product</c>); <c>kubernetes.io/hostname</c> is always set.</summary>
    public Dictionary<string, string> Labels { get; set; } = [];

    /// <summary>Taints on the node; Pods must tolerate NoSchedule and NoExecute ones to be scheduled here.</summary>
    public List<LocalNodeTaint> Taints { get; set; } = [];

    /// <summary>
    /// How images map to local commands. A key matches a container image when it equals the image exactly,
    /// or equals the image without its tag or digest (<c>whetstone/worker</c> matches
    /// <c>whetstone/worker:1.2</c>), or ends in <c>*</c> and the image starts with what precedes it
    /// (the longest such prefix wins). Exact beats untagged beats prefix.
    /// </summary>
    public Dictionary<string, ImageCommand> Images { get; set; } = [];

    /// <summary>How often the node renews its Lease and Ready condition.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the scheduler and kubelet re-read all Pods even when no watch event arrives.</summary>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromSeconds(5);
}

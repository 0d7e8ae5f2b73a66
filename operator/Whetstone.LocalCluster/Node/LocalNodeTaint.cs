namespace Whetstone.LocalCluster.Node;

/// <summary>A taint on the local node (Kubernetes' <c>spec.taints[]</c>), bindable from configuration.</summary>
public sealed class LocalNodeTaint
{
    /// <summary>Taint key, for example <c>nvidia.com/gpu</c>.</summary>
    public string Key { get; set; } = "";

    /// <summary>Taint value; may be empty.</summary>
    public string? Value { get; set; }

    /// <summary>NoSchedule, PreferNoSchedule or NoExecute.</summary>
    public string Effect { get; set; } = "NoSchedule";
}

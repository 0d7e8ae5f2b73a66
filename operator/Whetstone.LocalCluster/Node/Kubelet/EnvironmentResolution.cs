namespace Whetstone.LocalCluster.Node.Kubelet;

/// <summary>A container's resolved environment, or the reason it could not be built (CreateContainerConfigError).</summary>
public sealed record EnvironmentResolution(IReadOnlyDictionary<string, string> Variables, string? Error)
{
    /// <summary>A successfully resolved environment.</summary>
    public static EnvironmentResolution Resolved(IReadOnlyDictionary<string, string> variables) => new(variables, null);

    /// <summary>A failure with the kubelet-style message (for example <c>configmap "x" not found</c>).</summary>
    public static EnvironmentResolution Failed(string error) => new(new Dictionary<string, string>(), error);
}

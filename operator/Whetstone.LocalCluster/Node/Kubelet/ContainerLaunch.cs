namespace Whetstone.LocalCluster.Node.Kubelet;

/// <summary>Everything needed to start one container process.</summary>
internal sealed record ContainerLaunch(
    string Executable, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment, string ImageId);

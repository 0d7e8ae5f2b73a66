namespace Whetstone.LocalCluster.Node.Kubelet;

/// <summary>A Pod-level failure the kubelet decided on (for example reason DeadlineExceeded); it makes the phase Failed.</summary>
public sealed record PodFailure(string Reason, string Message);

namespace Whetstone.LocalCluster.Node.Kubelet;

/// <summary>
/// Why a container could not start. A start error (executable missing) counts as the container exiting;
/// anything else (unmapped image, missing ConfigMap) keeps it waiting with <see cref="Reason"/> and is retried.
/// </summary>
internal sealed record LaunchProblem(string Reason, string Message, bool IsStartError);

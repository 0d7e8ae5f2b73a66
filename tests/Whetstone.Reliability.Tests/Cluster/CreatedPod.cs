namespace Whetstone.Reliability.Tests.Cluster;

/// <summary>One worker pod as it was created: its job, name, uid and attempt annotation.</summary>
/// <param name="Job">The job the pod belongs to (its job label).</param>
/// <param name="Name">The pod's name.</param>
/// <param name="Uid">The pod's uid: a pod deleted and created again under the same name counts twice.</param>
/// <param name="Attempt">The attempt the operator created it for (0 when not annotated).</param>
public sealed record CreatedPod(string Job, string Name, string Uid, int Attempt);

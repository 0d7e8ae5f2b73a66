using k8s.Models;

namespace Whetstone.LocalCluster.Node.Deployments;

/// <summary>What one reconcile of a Deployment does: how many Pods of the current template to create, which Pods to delete, and the status to write.</summary>
/// <param name="Create">New Pods of the current template to create now.</param>
/// <param name="Delete">Pods to delete now (old-template Pods being replaced, surplus Pods, finished Pods).</param>
/// <param name="Status">The Deployment's status after counting the Pods as they are now.</param>
internal sealed record RolloutStep(int Create, IReadOnlyList<V1Pod> Delete, V1DeploymentStatus Status);

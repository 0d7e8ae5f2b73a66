using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Whetstone.LocalCluster.Node.Deployments;

/// <summary>
/// A minimal apps/v1 Deployment controller: the Deployment owns its Pods directly (there are no ReplicaSets),
/// each labelled with the hash of the template it was made from. Every pass applies <see cref="RolloutCalculation"/>:
/// create missing Pods, delete surplus and replaced ones, write status with <c>observedGeneration</c>.
/// </summary>
internal sealed class DeploymentController(IKubernetes client, LocalNodeOptions options, ChangeSignal signal, ILogger logger)
{
    private const string FieldManager = "whetstone-deployment-controller";

    public Task RunAsync(CancellationToken ct) =>
        SignalLoop.RunAsync("Deployments", ReconcileAllAsync, signal, options.ResyncInterval, logger, ct);

    private async Task ReconcileAllAsync(CancellationToken ct)
    {
        var deployments = (await client.AppsV1.ListDeploymentForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false)).Items;
        if (deployments.Count == 0)
        {
            return;
        }

        var pods = (await client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false)).Items;
        foreach (var deployment in deployments.Where(d => d.Metadata.DeletionTimestamp is null))
        {
            var owned = pods.Where(pod => pod.Metadata.OwnerReferences?.Any(o => o.Controller == true && o.Uid == deployment.Metadata.Uid) == true).ToList();
            await ReconcileAsync(deployment, owned, ct).ConfigureAwait(false);
        }
    }

    private async Task ReconcileAsync(V1Deployment deployment, IReadOnlyList<V1Pod> owned, CancellationToken ct)
    {
        var (ns, name) = (deployment.Metadata.NamespaceProperty, deployment.Metadata.Name);
        var step = RolloutCalculation.Calculate(deployment, owned, DateTime.UtcNow);
        for (var i = 0; i < step.Create; i++)
        {
            var created = await client.CoreV1.CreateNamespacedPodAsync(BuildPod(deployment), ns, fieldManager: FieldManager, cancellationToken: ct).ConfigureAwait(false);
            logger.LogInformation("Deployment {Namespace}/{Deployment} created pod {Pod}", ns, name, created.Metadata.Name);
        }

        foreach (var pod in step.Delete)
        {
            try
            {
                await client.CoreV1.DeleteNamespacedPodAsync(pod.Metadata.Name, ns, cancellationToken: ct).ConfigureAwait(false);
                logger.LogInformation("Deployment {Namespace}/{Deployment} deleted pod {Pod}", ns, name, pod.Metadata.Name);
            }
            catch (Exception error) when (KubernetesErrors.IsNotFound(error))
            {
                // Already gone.
            }
        }

        await PersistStatusAsync(deployment, step.Status, ct).ConfigureAwait(false);
    }

    private async Task PersistStatusAsync(V1Deployment deployment, V1DeploymentStatus status, CancellationToken ct)
    {
        if (deployment.Status is not null && KubernetesJson.Serialize(deployment.Status) == KubernetesJson.Serialize(status))
        {
            return;
        }

        await client.AppsV1.PatchNamespacedDeploymentStatusAsync(
            new V1Patch(new V1Deployment { Status = status }, V1Patch.PatchType.MergePatch),
            deployment.Metadata.Name, deployment.Metadata.NamespaceProperty, fieldManager: FieldManager, cancellationToken: ct).ConfigureAwait(false);
    }

    /// <summary>A Pod from the Deployment's template, labelled with the template hash and owned by the Deployment.</summary>
    internal static V1Pod BuildPod(V1Deployment deployment)
    {
        var template = KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(deployment.Spec.Template));
        var hash = RolloutCalculation.CalculateTemplateHash(deployment.Spec.Template);
        var labels = new Dictionary<string, string>(template.Metadata?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [RolloutCalculation.TemplateHashLabel] = hash,
        };
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                GenerateName = $"{deployment.Metadata.Name}-{hash}-",
                Labels = labels,
                Annotations = template.Metadata?.Annotations,
                OwnerReferences =
                [
                    new V1OwnerReference
                    {
                        ApiVersion = "apps/v1", Kind = "Deployment", Name = deployment.Metadata.Name, Uid = deployment.Metadata.Uid,
                        Controller = true, BlockOwnerDeletion = true,
                    },
                ],
            },
            Spec = template.Spec,
        };
    }
}

using k8s;
using k8s.Models;

namespace Whetstone.LocalCluster.Tests.Node.Deployments;

[Collection(LocalNodeClusterCollection.Name)]
public sealed class DeploymentIntegrationTest(LocalNodeClusterFixture cluster)
{
    private static string Manifest(string version) => $$$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: 2
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
              annotations: {version: "{{{version}}}"}
            spec:
              terminationGracePeriodSeconds: 2
              containers:
              - name: web
                image: busybox
                command: ["/bin/sh", "-c", {{{System.Text.Json.JsonSerializer.Serialize(HttpServerPods.Script)}}}]
                ports: [{name: http, containerPort: 8080}]
                env:
                - name: POD_IP
                  valueFrom:
                    fieldRef: {fieldPath: status.podIP}
                readinessProbe:
                  httpGet: {path: /ready, port: 8080}
                  periodSeconds: 1
                  failureThreshold: 1
        """;

    [Fact]
    public async Task A_deployment_scales_with_kubectl_scale_and_rolls_its_pods_when_the_template_changes()
    {
        var ns = await cluster.CreateNamespaceAsync();
        var manifest = Path.Combine(cluster.DataDirectory, ns + "-deploy.yaml");
        await File.WriteAllTextAsync(manifest, Manifest("1"));
        await cluster.KubectlAsync("apply", "-n", ns, "-f", manifest);
        await cluster.KubectlAsync("rollout", "status", "-n", ns, "deploy/web", "--timeout=120s");
        Assert.Equal(2, (await ReadyPodsAsync(ns)).Count);

        await cluster.KubectlAsync("scale", "-n", ns, "deploy/web", "--replicas=3");
        await cluster.KubectlAsync("rollout", "status", "-n", ns, "deploy/web", "--timeout=120s");
        var scaled = await ReadyPodsAsync(ns);
        Assert.Equal(3, scaled.Count);
        Assert.Equal(3, scaled.Select(p => p.Status.PodIP).Distinct().Count());
        var table = await cluster.KubectlAsync("get", "deploy", "web", "-n", ns, "--no-headers");
        Assert.Matches(@"^web\s+3/3\s+3\s+3\s+", table);

        await cluster.KubectlAsync("patch", "-n", ns, "deploy/web", "--type=merge", "-p", """{"spec":{"template":{"metadata":{"annotations":{"version":"2"}}}}}""");
        await cluster.KubectlAsync("rollout", "status", "-n", ns, "deploy/web", "--timeout=120s");
        var rolled = await ReadyPodsAsync(ns);
        Assert.Equal(3, rolled.Count);
        Assert.All(rolled, pod => Assert.Equal("2", pod.Metadata.Annotations["version"]));
        Assert.Empty(rolled.Select(p => p.Metadata.Name).Intersect(scaled.Select(p => p.Metadata.Name)));
        var deployment = await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("web", ns);
        Assert.Equal(deployment.Metadata.Generation, deployment.Status.ObservedGeneration);
        Assert.Equal("True", deployment.Status.Conditions.Single(c => c.Type == "Available").Status);
        Assert.Equal("NewReplicaSetAvailable", deployment.Status.Conditions.Single(c => c.Type == "Progressing").Reason);
        Assert.Equal(3, deployment.Status.UpdatedReplicas);
    }

    private async Task<List<V1Pod>> ReadyPodsAsync(string ns)
    {
        var pods = await cluster.Client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "app=web");
        return [.. pods.Items.Where(pod => pod.Metadata.DeletionTimestamp is null && HttpServerPods.IsReady(pod))];
    }
}

using k8s;
using k8s.Models;

namespace Whetstone.LocalCluster.Tests.Node;

/// <summary>
/// The kubelet gives each Pod its own ServiceAccount's credentials, never the node's: a Pod-bound token in
/// <c>serviceaccount/</c> under the Pod's folder and a kubeconfig holding it as <c>KUBECONFIG</c>. Checked from inside
/// real Pods with the real kubectl: who the Pod is, what it may not do, and that a Pod that opts out gets none.
/// </summary>
[Collection(LocalNodeClusterCollection.Name)]
public sealed class ServiceAccountCredentialsIntegrationTest(LocalNodeClusterFixture cluster)
{
    // Runs kubectl as the Pod: KUBECONFIG is whatever the kubelet set (kubectl falls back to ~/.kube/config when
    // unset, so HOME points at the Pod's own folder, where there is none).
    private const string Script = """
        export HOME="$WHETSTONE_POD_WORKDIR"
        echo "kubeconfig=[$KUBECONFIG]"
        echo "namespace=$(cat "$WHETSTONE_SERVICE_ACCOUNT_DIR/namespace" 2>/dev/null)"
        echo "user=$(kubectl auth whoami -o jsonpath='{.status.userInfo.username}' 2>&1)"
        kubectl get secrets 2>&1 | sed 's/^/secrets: /'
        """;

    private static V1Pod Pod(string name, string? account = null, bool? automount = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec
        {
            Containers = [new V1Container { Name = "main", Image = "busybox", Command = ["/bin/sh", "-c", Script] }],
            RestartPolicy = "Never",
            ServiceAccountName = account,
            AutomountServiceAccountToken = automount,
        },
    };

    private static bool IsTerminal(V1Pod pod) => pod.Status?.Phase is "Succeeded" or "Failed";

    [Fact]
    public async Task A_pod_authenticates_as_its_service_account_and_is_refused_what_its_account_may_not_do()
    {
        var ns = await cluster.CreateNamespaceAsync();
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pod("as-default"), ns);

        await cluster.WaitForPodAsync(ns, "as-default", IsTerminal);
        var log = await cluster.KubectlAsync("logs", "-n", ns, "as-default");

        var podDirectory = Path.Combine(cluster.DataDirectory, "pods", ns, "as-default");
        Assert.Contains($"kubeconfig=[{Path.Combine(podDirectory, "kubeconfig")}]", log, StringComparison.Ordinal);
        Assert.True(log.Contains($"namespace={ns}", StringComparison.Ordinal), log);
        Assert.Contains($"user=system:serviceaccount:{ns}:default", log, StringComparison.Ordinal);
        Assert.Contains(
            $"secrets: Error from server (Forbidden): secrets is forbidden: User \"system:serviceaccount:{ns}:default\" cannot list resource \"secrets\" in API group \"\" in the namespace \"{ns}\"",
            log, StringComparison.Ordinal);
        var token = await File.ReadAllTextAsync(Path.Combine(podDirectory, "serviceaccount", "token"));
        Assert.Contains(token, await File.ReadAllTextAsync(Path.Combine(podDirectory, "kubeconfig")), StringComparison.Ordinal);
        Assert.DoesNotContain(await File.ReadAllTextAsync(Path.Combine(cluster.DataDirectory, "token")), log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pod_of_a_missing_account_waits_until_it_exists_and_a_pod_that_opts_out_gets_no_credentials()
    {
        var ns = await cluster.CreateNamespaceAsync();
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pod("late-account", "late"), ns);
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pod("opted-out", automount: false), ns);

        var waiting = await cluster.WaitForPodAsync(ns, "late-account", p => p.Status?.ContainerStatuses?.SingleOrDefault()?.State?.Waiting?.Reason == "CreateContainerConfigError");
        Assert.Contains("serviceaccount \"late\" not found", waiting.Status.ContainerStatuses.Single().State.Waiting.Message, StringComparison.Ordinal);
        await cluster.Client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "late" } }, ns);
        await cluster.WaitForPodAsync(ns, "late-account", IsTerminal);
        Assert.Contains($"user=system:serviceaccount:{ns}:late", await cluster.KubectlAsync("logs", "-n", ns, "late-account"), StringComparison.Ordinal);

        await cluster.WaitForPodAsync(ns, "opted-out", IsTerminal);
        var log = await cluster.KubectlAsync("logs", "-n", ns, "opted-out");
        Assert.Contains("kubeconfig=[]", log, StringComparison.Ordinal);
        Assert.DoesNotContain("user=system:", log, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(cluster.DataDirectory, "pods", ns, "opted-out", "serviceaccount")));
    }
}

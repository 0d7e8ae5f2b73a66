using k8s;
using k8s.Models;

namespace Whetstone.LocalCluster.Tests.Node;

[Collection(LocalNodeClusterCollection.Name)]
public sealed class LocalNodePodsIntegrationTest(LocalNodeClusterFixture cluster)
{
    private static V1Pod ShellPod(string name, string script, Action<V1PodSpec>? spec = null, Action<V1Container>? container = null)
    {
        var main = new V1Container { Name = "main", Image = "busybox:1.36", Command = ["/bin/sh", "-c", script] };
        container?.Invoke(main);
        var podSpec = new V1PodSpec { Containers = [main], RestartPolicy = "Never", TerminationGracePeriodSeconds = 10 };
        spec?.Invoke(podSpec);
        return new V1Pod { Metadata = new V1ObjectMeta { Name = name }, Spec = podSpec };
    }

    private static bool IsTerminal(V1Pod pod) => pod.Status?.Phase is "Succeeded" or "Failed";

    [Fact]
    public async Task A_pod_applied_with_kubectl_that_exits_3_ends_Failed_and_kubectl_logs_shows_its_output()
    {
        var ns = await cluster.CreateNamespaceAsync();
        var manifest = Path.Combine(cluster.DataDirectory, ns + ".yaml");
        await File.WriteAllTextAsync(manifest, """
            apiVersion: v1
            kind: Pod
            metadata:
              name: fails
            spec:
              restartPolicy: Never
              containers:
              - name: main
                image: busybox
                command: ["/bin/sh", "-c", "echo hello; exit 3"]
            """);
        await cluster.KubectlAsync("apply", "-n", ns, "-f", manifest);

        var pod = await cluster.WaitForPodAsync(ns, "fails", IsTerminal);

        Assert.Equal("Failed", pod.Status.Phase);
        Assert.Equal("local", pod.Spec.NodeName);
        var terminated = pod.Status.ContainerStatuses.Single().State.Terminated;
        Assert.Equal(3, terminated.ExitCode);
        Assert.Equal("Error", terminated.Reason);
        Assert.StartsWith("127.10.", pod.Status.PodIP, StringComparison.Ordinal);
        Assert.NotNull(pod.Status.StartTime);
        Assert.Equal("hello\n", await cluster.KubectlAsync("logs", "-n", ns, "fails"));
    }

    [Fact]
    public async Task A_pod_that_exits_0_Succeeds_with_its_environment_resolved_from_config_maps_and_the_downward_api()
    {
        var ns = await cluster.CreateNamespaceAsync();
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "settings" }, Data = new Dictionary<string, string> { ["MODE"] = "fast" } }, ns);
        var pod = ShellPod("succeeds", "echo \"$MODE $POD_NAME $POD_NAMESPACE\"; test -d \"$WHETSTONE_POD_WORKDIR/scratch\" && echo scratch", container: c => c.Env =
        [
            new V1EnvVar { Name = "MODE", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "settings", Key = "MODE" } } },
            new V1EnvVar { Name = "POD_NAME", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } },
            new V1EnvVar { Name = "POD_NAMESPACE", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.namespace" } } },
        ], spec: s => s.Volumes = [new V1Volume { Name = "scratch", EmptyDir = new V1EmptyDirVolumeSource() }]);
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, ns);

        var done = await cluster.WaitForPodAsync(ns, "succeeds", IsTerminal);

        Assert.Equal("Succeeded", done.Status.Phase);
        Assert.Equal("Completed", done.Status.ContainerStatuses.Single().State.Terminated.Reason);
        Assert.Equal("False", done.Status.Conditions.Single(c => c.Type == "Ready").Status);
        Assert.Equal($"fast succeeds {ns}\nscratch\n", await cluster.KubectlAsync("logs", "-n", ns, "succeeds"));
    }

    [Fact]
    public async Task Every_pod_on_the_node_gets_the_same_model_cache_folder_under_the_nodes_data_directory()
    {
        var ns = await cluster.CreateNamespaceAsync();
        foreach (var name in new[] { "cache-a", "cache-b" })
        {
            await cluster.Client.CoreV1.CreateNamespacedPodAsync(ShellPod(name, "echo \"$WHETSTONE_MODEL_CACHE\""), ns);
        }

        var folders = new List<string>();
        foreach (var name in new[] { "cache-a", "cache-b" })
        {
            Assert.Equal("Succeeded", (await cluster.WaitForPodAsync(ns, name, IsTerminal)).Status.Phase);
            folders.Add((await cluster.KubectlAsync("logs", "-n", ns, name)).TrimEnd('\n'));
        }

        Assert.Equal(Path.Combine(cluster.DataDirectory, "nodes", "local", "model-cache"), folders[0]);
        Assert.Equal(folders[0], folders[1]);
    }

    [Fact]
    public async Task A_pod_wanting_more_gpus_than_free_stays_Pending_Unschedulable_and_runs_once_a_slot_frees()
    {
        var ns = await cluster.CreateNamespaceAsync();
        static void OneGpu(V1Container c) => c.Resources = new V1ResourceRequirements
        {
            Limits = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new("1") },
        };
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(ShellPod("holder", "echo holding; sleep 300", container: OneGpu), ns);
        await cluster.WaitForPodAsync(ns, "holder", p => p.Status?.Phase == "Running");

        await cluster.Client.CoreV1.CreateNamespacedPodAsync(ShellPod("waiter", "echo got the gpu", container: OneGpu), ns);
        var pending = await cluster.WaitForPodAsync(ns, "waiter", p => p.Status?.Conditions?.Any(c => c.Type == "PodScheduled" && c.Status == "False") == true);

        var scheduled = pending.Status.Conditions.Single(c => c.Type == "PodScheduled");
        Assert.Equal("Pending", pending.Status.Phase);
        Assert.Equal("Unschedulable", scheduled.Reason);
        Assert.Equal("0/1 nodes are available: 1 Insufficient nvidia.com/gpu.", scheduled.Message);
        Assert.Null(pending.Spec.NodeName);

        await cluster.KubectlAsync("delete", "pod", "-n", ns, "holder", "--wait=false");
        var ran = await cluster.WaitForPodAsync(ns, "waiter", IsTerminal);

        Assert.Equal("Succeeded", ran.Status.Phase);
        Assert.Equal("local", ran.Spec.NodeName);
    }

    [Fact]
    public async Task A_pod_asking_for_a_resource_the_node_lacks_never_schedules()
    {
        var ns = await cluster.CreateNamespaceAsync();
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(ShellPod("amd", "true", container: c => c.Resources = new V1ResourceRequirements
        {
            Limits = new Dictionary<string, ResourceQuantity> { ["amd.com/gpu"] = new("1") },
        }), ns);

        var pending = await cluster.WaitForPodAsync(ns, "amd", p => p.Status?.Conditions?.Any(c => c.Reason == "Unschedulable") == true);

        Assert.Equal("0/1 nodes are available: 1 Insufficient amd.com/gpu.", pending.Status.Conditions.Single(c => c.Type == "PodScheduled").Message);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(await cluster.KubectlAsync("describe", "pod", "-n", ns, "amd")).Contains("FailedScheduling", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "kubectl describe never showed a FailedScheduling event");
            await Task.Delay(500);
        }
    }

    [Fact]
    public async Task Deleting_a_running_pod_sends_its_process_SIGTERM()
    {
        var ns = await cluster.CreateNamespaceAsync();
        var marker = Path.Combine(cluster.DataDirectory, ns + "-sigterm");
        var script = "trap 'echo SIGTERM > \"$MARKER\"; exit 0' TERM; echo started; while true; do sleep 1; done";
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(
            ShellPod("server", script, container: c => c.Env = [new V1EnvVar { Name = "MARKER", Value = marker }]), ns);
        await cluster.WaitForPodAsync(ns, "server", p => p.Status?.Phase == "Running");

        await cluster.KubectlAsync("delete", "pod", "-n", ns, "server");

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!File.Exists(marker))
        {
            Assert.True(DateTime.UtcNow < deadline, "the process never saw SIGTERM");
            await Task.Delay(200);
        }

        Assert.Equal("SIGTERM", (await File.ReadAllTextAsync(marker)).Trim());
    }

    [Fact]
    public async Task A_pod_past_its_activeDeadlineSeconds_is_killed_and_Failed_with_DeadlineExceeded()
    {
        var ns = await cluster.CreateNamespaceAsync();
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(ShellPod("slow", "sleep 300", spec: s => s.ActiveDeadlineSeconds = 2), ns);

        var pod = await cluster.WaitForPodAsync(ns, "slow", IsTerminal);

        Assert.Equal("Failed", pod.Status.Phase);
        Assert.Equal("DeadlineExceeded", pod.Status.Reason);
        Assert.NotNull(pod.Status.ContainerStatuses.Single().State.Terminated);
    }

    [Fact]
    public async Task The_termination_message_comes_from_the_mapped_file_or_with_FallbackToLogsOnError_from_the_log()
    {
        var ns = await cluster.CreateNamespaceAsync();
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(ShellPod("writes", "echo 'model saved' > \"$WHETSTONE_TERMINATION_MESSAGE_PATH\""), ns);
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(
            ShellPod("crashes", "echo 'loss diverged'; exit 1", container: c => c.TerminationMessagePolicy = "FallbackToLogsOnError"), ns);

        var writes = await cluster.WaitForPodAsync(ns, "writes", IsTerminal);
        var crashes = await cluster.WaitForPodAsync(ns, "crashes", IsTerminal);

        Assert.Equal("model saved\n", writes.Status.ContainerStatuses.Single().State.Terminated.Message);
        Assert.Equal("loss diverged", crashes.Status.ContainerStatuses.Single().State.Terminated.Message);
    }

    [Fact]
    public async Task A_container_failing_under_OnFailure_is_restarted_and_its_restart_count_kept()
    {
        var ns = await cluster.CreateNamespaceAsync();
        var script = "if [ -f \"$WHETSTONE_POD_WORKDIR/tried\" ]; then echo second; exit 0; fi; touch \"$WHETSTONE_POD_WORKDIR/tried\"; echo first; exit 1";
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(ShellPod("retries", script, spec: s => s.RestartPolicy = "OnFailure"), ns);

        var pod = await cluster.WaitForPodAsync(ns, "retries", IsTerminal);

        Assert.Equal("Succeeded", pod.Status.Phase);
        var status = pod.Status.ContainerStatuses.Single();
        Assert.Equal(1, status.RestartCount);
        Assert.Equal(1, status.LastState.Terminated.ExitCode);
        Assert.Equal("first\nsecond\n", await cluster.KubectlAsync("logs", "-n", ns, "retries"));
    }

    [Fact]
    public async Task An_image_without_a_local_command_waits_with_ErrImagePull()
    {
        var ns = await cluster.CreateNamespaceAsync();
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(ShellPod("unknown", "true", container: c => c.Image = "nginx:1.27"), ns);

        var pod = await cluster.WaitForPodAsync(ns, "unknown", p => p.Status?.ContainerStatuses?.SingleOrDefault()?.State?.Waiting?.Reason == "ErrImagePull");

        Assert.Equal("Pending", pod.Status.Phase);
        Assert.Contains("nginx:1.27", pod.Status.ContainerStatuses.Single().State.Waiting.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_node_is_registered_Ready_with_its_gpu_slots_and_labels()
    {
        var node = await cluster.Client.CoreV1.ReadNodeAsync("local");

        Assert.Equal("True", node.Status.Conditions.Single(c => c.Type == "Ready").Status);
        Assert.Equal(1m, node.Status.Allocatable["nvidia.com/gpu"].ToDecimal());
        Assert.Equal("Test-GPU", node.Metadata.Labels["nvidia.com/gpu.product"]);
        Assert.Equal("local", node.Metadata.Labels["kubernetes.io/hostname"]);
        var lease = await cluster.Client.CoordinationV1.ReadNamespacedLeaseAsync("local", "kube-node-lease");
        Assert.Equal("local", lease.Spec.HolderIdentity);
    }

    [Fact]
    public async Task A_service_gets_a_cluster_IP_in_the_loopback_service_range()
    {
        var ns = await cluster.CreateNamespaceAsync();
        await cluster.Client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 80, TargetPort = 8080 }], Selector = new Dictionary<string, string> { ["app"] = "web" } },
        }, ns);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        V1Service service;
        do
        {
            Assert.True(DateTime.UtcNow < deadline, "the service never got an address in 127.11.0.0/16");
            await Task.Delay(200);
            service = await cluster.Client.CoreV1.ReadNamespacedServiceAsync("web", ns);
        }
        while (!service.Spec.ClusterIP.StartsWith("127.11.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Init_containers_run_to_completion_before_the_app_container_starts()
    {
        var ns = await cluster.CreateNamespaceAsync();
        var pod = ShellPod("initialized", "cat \"$WHETSTONE_POD_WORKDIR/prepared\"", spec: s => s.InitContainers =
        [
            new V1Container { Name = "prepare", Image = "busybox", Command = ["/bin/sh", "-c", "echo prepared > \"$WHETSTONE_POD_WORKDIR/prepared\""] },
        ]);
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, ns);

        var done = await cluster.WaitForPodAsync(ns, "initialized", IsTerminal);

        Assert.Equal("Succeeded", done.Status.Phase);
        Assert.Equal(0, done.Status.InitContainerStatuses.Single().State.Terminated.ExitCode);
        Assert.Equal("prepared\n", await cluster.KubectlAsync("logs", "-n", ns, "initialized"));
    }

    [Fact]
    public async Task A_failing_init_container_under_Never_fails_the_pod_without_starting_the_app()
    {
        var ns = await cluster.CreateNamespaceAsync();
        var pod = ShellPod("badinit", "echo should not run", spec: s => s.InitContainers =
        [
            new V1Container { Name = "prepare", Image = "busybox", Command = ["/bin/sh", "-c", "exit 4"] },
        ]);
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, ns);

        var failed = await cluster.WaitForPodAsync(ns, "badinit", IsTerminal);

        Assert.Equal("Failed", failed.Status.Phase);
        Assert.Equal(4, failed.Status.InitContainerStatuses.Single().State.Terminated.ExitCode);
        Assert.Equal("PodInitializing", failed.Status.ContainerStatuses.Single().State.Waiting.Reason);
    }
}

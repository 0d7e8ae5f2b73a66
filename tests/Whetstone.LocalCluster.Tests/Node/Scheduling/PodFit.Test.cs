using k8s.Models;
using Whetstone.LocalCluster.Node;
using Whetstone.LocalCluster.Node.Scheduling;
using static Whetstone.LocalCluster.Tests.Node.PodObjects;

namespace Whetstone.LocalCluster.Tests.Node.Scheduling;

public sealed class PodFitTest
{
    private static V1Node Node(int gpuSlots = 0, string cpu = "2", int maxPods = 110, Action<LocalNodeOptions>? configure = null)
    {
        var options = new LocalNodeOptions { Cpu = cpu, Memory = "4Gi", GpuSlots = gpuSlots, MaxPods = maxPods };
        configure?.Invoke(options);
        return NodeObject.Build(options, DateTime.UtcNow);
    }

    private static V1Pod GpuPod(string name) => Pod(name, c => Requests(c, ("nvidia.com/gpu", "1")));

    [Fact]
    public void A_gpu_pod_does_not_fit_a_node_without_gpu_slots_and_says_so_like_kube_scheduler()
    {
        var fit = PodFit.Calculate(GpuPod("train"), Node(gpuSlots: 0), []);

        Assert.False(fit.Fits);
        Assert.Equal("0/1 nodes are available: 1 Insufficient nvidia.com/gpu.", SchedulingMessage.FormatUnschedulable([fit]));
    }

    [Fact]
    public void A_gpu_pod_fits_while_a_slot_is_free_and_not_once_running_pods_hold_them_all()
    {
        var node = Node(gpuSlots: 1);

        Assert.True(PodFit.Calculate(GpuPod("second"), node, []).Fits);
        Assert.Equal(["Insufficient nvidia.com/gpu"], PodFit.Calculate(GpuPod("second"), node, [GpuPod("first")]).Reasons);
    }

    [Fact]
    public void Cpu_and_memory_requests_are_summed_over_the_pods_on_the_node()
    {
        var node = Node(cpu: "2");
        var running = new[] { Pod("a", c => Requests(c, ("cpu", "750m"))), Pod("b", c => Requests(c, ("cpu", "1"))) };

        Assert.True(PodFit.Calculate(Pod("small", c => Requests(c, ("cpu", "250m"))), node, running).Fits);
        Assert.Equal(["Insufficient cpu"], PodFit.Calculate(Pod("big", c => Requests(c, ("cpu", "500m"))), node, running).Reasons);
    }

    [Fact]
    public void A_limit_without_a_request_counts_as_the_request()
    {
        var pod = Pod("limited", c => c.Resources = new V1ResourceRequirements
        {
            Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("8Gi") },
        });

        Assert.Equal(["Insufficient memory"], PodFit.Calculate(pod, Node(), []).Reasons);
    }

    [Fact]
    public void A_node_selector_that_the_node_labels_do_not_satisfy_keeps_the_pod_off()
    {
        var node = Node(configure: o => o.Labels["nvidia.com/gpu.product"] = "NVIDIA-H100");
        var matching = Pod("h100", spec: s => s.NodeSelector = new Dictionary<string, string> { ["nvidia.com/gpu.product"] = "NVIDIA-H100" });
        var other = Pod("a100", spec: s => s.NodeSelector = new Dictionary<string, string> { ["nvidia.com/gpu.product"] = "NVIDIA-A100" });

        Assert.True(PodFit.Calculate(matching, node, []).Fits);
        Assert.Equal(
            "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.",
            SchedulingMessage.FormatUnschedulable([PodFit.Calculate(other, node, [])]));
    }

    [Fact]
    public void A_NoSchedule_taint_needs_a_matching_toleration()
    {
        var node = Node(configure: o => o.Taints.Add(new LocalNodeTaint { Key = "nvidia.com/gpu", Value = "present", Effect = "NoSchedule" }));
        var tolerating = Pod("tolerates", spec: s => s.Tolerations = [new V1Toleration { Key = "nvidia.com/gpu", OperatorProperty = "Exists", Effect = "NoSchedule" }]);
        var wrongValue = Pod("wrong", spec: s => s.Tolerations = [new V1Toleration { Key = "nvidia.com/gpu", Value = "absent" }]);

        Assert.True(PodFit.Calculate(tolerating, node, []).Fits);
        Assert.Equal(["node(s) had untolerated taint {nvidia.com/gpu: present}"], PodFit.Calculate(wrongValue, node, []).Reasons);
        Assert.Equal(["node(s) had untolerated taint {nvidia.com/gpu: present}"], PodFit.Calculate(Pod("plain"), node, []).Reasons);
    }

    [Fact]
    public void A_PreferNoSchedule_taint_does_not_block_scheduling()
    {
        var node = Node(configure: o => o.Taints.Add(new LocalNodeTaint { Key = "spot", Effect = "PreferNoSchedule" }));

        Assert.True(PodFit.Calculate(Pod("any"), node, []).Fits);
    }

    [Fact]
    public void The_node_pod_limit_is_enforced()
    {
        Assert.Equal(["Too many pods"], PodFit.Calculate(Pod("third"), Node(maxPods: 2), [Pod("a"), Pod("b")]).Reasons);
    }

    [Fact]
    public void Required_node_affinity_is_honoured()
    {
        var node = Node(configure: o => o.Labels["zone"] = "lab");
        V1Pod WithAffinity(string op, params string[] values) => Pod("affine", spec: s => s.Affinity = new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                {
                    NodeSelectorTerms = [new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "zone", OperatorProperty = op, Values = values }] }],
                },
            },
        });

        Assert.True(PodFit.Calculate(WithAffinity("In", "lab", "office"), node, []).Fits);
        Assert.False(PodFit.Calculate(WithAffinity("NotIn", "lab"), node, []).Fits);
        Assert.False(PodFit.Calculate(WithAffinity("DoesNotExist"), node, []).Fits);
    }

    [Fact]
    public void Several_reasons_are_listed_sorted_as_kube_scheduler_lists_them()
    {
        var pod = Pod("greedy", c => Requests(c, ("nvidia.com/gpu", "1"), ("cpu", "16")));

        Assert.Equal(
            "0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient nvidia.com/gpu.",
            SchedulingMessage.FormatUnschedulable([PodFit.Calculate(pod, Node(), [])]));
    }

    [Fact]
    public void Init_container_requests_count_as_the_maximum_not_the_sum()
    {
        var pod = Pod("init", c => Requests(c, ("cpu", "1")), s => s.InitContainers =
        [
            new V1Container { Name = "a", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("2") } } },
        ]);

        Assert.Equal(2m, PodResourceRequests.Calculate(pod)["cpu"]);
    }
}

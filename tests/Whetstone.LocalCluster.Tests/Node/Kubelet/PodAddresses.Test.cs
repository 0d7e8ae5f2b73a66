using k8s.Models;
using Whetstone.LocalCluster.Networking;
using Whetstone.LocalCluster.Node.Kubelet;

namespace Whetstone.LocalCluster.Tests.Node.Kubelet;

public sealed class PodAddressesTest
{
    private static V1Pod WithAddress(string name, string? ip, string phase = "Running")
    {
        var pod = PodObjects.Pod(name);
        pod.Status = new V1PodStatus { PodIP = ip, Phase = phase };
        return pod;
    }

    [Fact]
    public void A_pod_that_reports_an_address_keeps_it_across_a_node_restart()
    {
        var pods = new[] { WithAddress("a", "127.10.0.7"), WithAddress("b", null) };
        var addresses = new PodAddresses(LoopbackRange.Pods);

        Assert.Equal("127.10.0.7", addresses.Assign(pods[0], pods));
        Assert.Equal("127.10.0.8", addresses.Assign(pods[1], pods));
    }

    [Fact]
    public void A_new_pod_never_gets_an_address_another_running_pod_reports()
    {
        var pods = new[] { WithAddress("a", "127.10.0.1"), WithAddress("b", null), WithAddress("done", "127.10.0.2", "Succeeded") };
        var addresses = new PodAddresses(LoopbackRange.Pods);

        Assert.Equal("127.10.0.2", addresses.Assign(pods[1], pods));
    }

    [Fact]
    public void A_released_address_is_not_handed_out_again_at_once()
    {
        var first = WithAddress("first", null);
        var second = WithAddress("second", null);
        var addresses = new PodAddresses(LoopbackRange.Pods);
        var given = addresses.Assign(first, [first]);

        addresses.Release(first.Metadata.Uid);

        Assert.Equal("127.10.0.1", given);
        Assert.Equal("127.10.0.2", addresses.Assign(second, [second]));
        Assert.Equal("127.10.0.2", addresses.Assign(second, [second]));
    }

    [Fact]
    public void Allocation_starts_where_the_node_says_and_skips_an_address_where_something_already_listens()
    {
        var pod = PodObjects.Pod("web");
        pod.Spec.Containers[0].Ports = [new V1ContainerPort { ContainerPort = 8080 }];
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Parse("127.10.1.45"), 8080);
        listener.Start();
        var addresses = new PodAddresses(LoopbackRange.Pods, start: 300, taken: LoopbackListeners.AnyOnDeclaredPorts);

        Assert.Equal("127.10.1.46", addresses.Assign(pod, [pod]));
    }

    [Fact]
    public void A_listener_on_a_port_the_pod_does_not_declare_is_no_conflict()
    {
        var pod = PodObjects.Pod("web");
        pod.Spec.Containers[0].Ports = [new V1ContainerPort { ContainerPort = 8081 }];
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Parse("127.10.1.45"), 8080);
        listener.Start();
        var addresses = new PodAddresses(LoopbackRange.Pods, start: 300, taken: LoopbackListeners.AnyOnDeclaredPorts);

        Assert.Equal("127.10.1.45", addresses.Assign(pod, [pod]));
    }
}

using k8s.Models;
using Whetstone.LocalCluster.Node.Services;

namespace Whetstone.LocalCluster.Tests.Node.Services;

public sealed class EndpointsBuilderTest
{
    private static readonly V1Service Service = new()
    {
        Metadata = new V1ObjectMeta { Name = "shop", NamespaceProperty = "team", Uid = "uid-shop" },
        Spec = new V1ServiceSpec
        {
            Selector = new Dictionary<string, string> { ["app"] = "demo" },
            Ports = [new V1ServicePort { Name = "web", Port = 80, TargetPort = "http", Protocol = "TCP" }],
        },
    };

    private static V1Pod Pod(string name, string ip, bool ready, bool terminating = false, string phase = "Running")
    {
        var pod = PodObjects.Pod(name, container: c => c.Ports = [new V1ContainerPort { Name = "http", ContainerPort = 8080 }]);
        pod.Metadata.DeletionTimestamp = terminating ? DateTime.UtcNow : null;
        pod.Status = new V1PodStatus
        {
            PodIP = ip,
            Phase = phase,
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }],
        };
        return pod;
    }

    [Fact]
    public void Ready_pods_are_addresses_unready_and_terminating_ones_are_not_ready_and_finished_ones_are_left_out()
    {
        var pods = EndpointsBuilder.SelectPods(Service, [
            Pod("a", "127.10.0.1", ready: true), Pod("b", "127.10.0.2", ready: false), Pod("c", "127.10.0.3", ready: true, terminating: true),
            Pod("done", "127.10.0.4", ready: false, phase: "Succeeded")]);

        var endpoints = EndpointsBuilder.BuildEndpoints(Service, pods);
        var slice = EndpointsBuilder.BuildEndpointSlice(Service, pods);

        var subset = Assert.Single(endpoints.Subsets);
        Assert.Equal(["127.10.0.1"], subset.Addresses.Select(a => a.Ip));
        Assert.Equal(["127.10.0.2", "127.10.0.3"], subset.NotReadyAddresses.Select(a => a.Ip));
        Assert.Equal(8080, subset.Ports.Single().Port);
        Assert.Equal("web", subset.Ports.Single().Name);
        Assert.Equal("uid-shop", endpoints.Metadata.OwnerReferences.Single().Uid);
        Assert.Equal(3, slice.Endpoints.Count);
        var terminating = slice.Endpoints.Single(e => e.TargetRef.Name == "c").Conditions;
        Assert.Equal((false, true, true), (terminating.Ready, terminating.Serving, terminating.Terminating));
        Assert.Equal("shop", slice.Metadata.Labels["kubernetes.io/service-name"]);
    }
}

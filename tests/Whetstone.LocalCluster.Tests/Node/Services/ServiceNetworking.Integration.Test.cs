using k8s;
using k8s.Models;

namespace Whetstone.LocalCluster.Tests.Node.Services;

[Collection(LocalNodeClusterCollection.Name)]
public sealed class ServiceNetworkingIntegrationTest(LocalNodeClusterFixture cluster)
{
    [Fact]
    public async Task Two_pods_listening_on_the_same_port_each_get_their_own_address_and_both_serve()
    {
        var ns = await cluster.CreateNamespaceAsync();
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(HttpServerPods.Pod("one", "web"), ns);
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(HttpServerPods.Pod("two", "web"), ns);

        var one = await cluster.WaitForPodAsync(ns, "one", HttpServerPods.IsReady);
        var two = await cluster.WaitForPodAsync(ns, "two", HttpServerPods.IsReady);

        Assert.NotEqual(one.Status.PodIP, two.Status.PodIP);
        Assert.All(new[] { one, two }, pod => Assert.StartsWith("127.10.", pod.Status.PodIP, StringComparison.Ordinal));
        Assert.Equal(one.Status.PodIP, one.Status.PodIPs.Single().Ip);
        using var http = HttpServerPods.Client();
        Assert.Equal(["one"], await HttpServerPods.AskWhoAsync(http, $"{one.Status.PodIP}:{HttpServerPods.Port}", 1));
        Assert.Equal(["two"], await HttpServerPods.AskWhoAsync(http, $"{two.Status.PodIP}:{HttpServerPods.Port}", 1));
    }

    [Fact]
    public async Task A_service_balances_over_its_ready_endpoints_and_stops_sending_to_an_unready_or_deleted_pod()
    {
        var ns = await cluster.CreateNamespaceAsync();
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(HttpServerPods.Pod("alpha", "shop"), ns);
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(HttpServerPods.Pod("beta", "shop"), ns);
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(HttpServerPods.Pod("other", "elsewhere"), ns);
        var service = await cluster.Client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "shop" },
            Spec = new V1ServiceSpec
            {
                Selector = new Dictionary<string, string> { ["app"] = "shop" },
                // Not 80: binding a port below 1024 needs root (or net.ipv4.ip_unprivileged_port_start lowered).
                Ports = [new V1ServicePort { Name = "web", Port = 8000, TargetPort = "http" }],
            },
        }, ns);
        var address = $"{service.Spec.ClusterIP}:8000";
        Assert.StartsWith("127.11.", service.Spec.ClusterIP, StringComparison.Ordinal);

        await WaitForReadyAddressesAsync(ns, "shop", 2);
        using var http = HttpServerPods.Client();
        var answers = await HttpServerPods.AskWhoAsync(http, address, 20);
        Assert.Equal(10, answers.Count(a => a == "alpha"));
        Assert.Equal(10, answers.Count(a => a == "beta"));
        var slice = await cluster.Client.DiscoveryV1.ReadNamespacedEndpointSliceAsync("shop", ns);
        Assert.Equal("shop", slice.Metadata.Labels["kubernetes.io/service-name"]);
        Assert.Equal(2, slice.Endpoints.Count(e => e.Conditions.Ready == true));
        Assert.Equal(HttpServerPods.Port, slice.Ports.Single().Port);

        HttpServerPods.MakeUnready(cluster.DataDirectory, ns, "alpha");
        await WaitForReadyAddressesAsync(ns, "shop", 1);
        Assert.All(await HttpServerPods.AskWhoAsync(http, address, 10), answer => Assert.Equal("beta", answer));
        var endpoints = await cluster.Client.CoreV1.ReadNamespacedEndpointsAsync("shop", ns);
        Assert.Equal("alpha", endpoints.Subsets.Single().NotReadyAddresses.Single().TargetRef.Name);

        await cluster.Client.CoreV1.DeleteNamespacedPodAsync("beta", ns);
        await WaitForReadyAddressesAsync(ns, "shop", 0);
        using var response = await http.GetAsync(new Uri($"http://{address}/whoami"));
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    private async Task WaitForReadyAddressesAsync(string ns, string service, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var seen = -1;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var endpoints = await cluster.Client.CoreV1.ReadNamespacedEndpointsAsync(service, ns);
                seen = endpoints.Subsets?.Sum(s => s.Addresses?.Count ?? 0) ?? 0;
                if (seen == count)
                {
                    // The proxy follows the Endpoints through its own watch; give it a moment to apply the change.
                    await Task.Delay(1000);
                    return;
                }
            }
            catch (k8s.Autorest.HttpOperationException)
            {
                // Not created yet.
            }

            await Task.Delay(200);
        }

        Assert.Fail($"endpoints of {ns}/{service} never had {count} ready addresses (last: {seen})");
    }
}

using System.Text.Json.Nodes;
using Whetstone.LocalCluster.Monitoring;

namespace Whetstone.LocalCluster.Tests.Monitoring;

public sealed class PodScrapeTargetsTest
{
    [Fact]
    public void Each_container_port_is_a_target_labelled_as_kubernetes_service_discovery_labels_it()
    {
        var pod = (JsonObject)JsonNode.Parse("""
            {"metadata": {"name": "web-1", "namespace": "shop", "labels": {"app.kubernetes.io/name": "web"}, "annotations": {"prometheus.io/scrape": "true"}},
             "spec": {"nodeName": "local", "containers": [{"name": "web", "image": "busybox", "ports": [{"name": "http", "containerPort": 8080}, {"containerPort": 9090}]}]},
             "status": {"podIP": "127.10.0.4", "phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}}
            """)!;
        var unscheduled = (JsonObject)JsonNode.Parse("""{"metadata": {"name": "pending"}, "spec": {"containers": [{"name": "c"}]}, "status": {}}""")!;

        var groups = PodScrapeTargets.Build([pod, unscheduled]);

        Assert.Equal(2, groups.Count);
        var first = groups[0]!;
        Assert.Equal("127.10.0.4:8080", first["targets"]![0]!.GetValue<string>());
        var labels = first["labels"]!;
        Assert.Equal("shop", labels["__meta_kubernetes_namespace"]!.GetValue<string>());
        Assert.Equal("web", labels["__meta_kubernetes_pod_label_app_kubernetes_io_name"]!.GetValue<string>());
        Assert.Equal("true", labels["__meta_kubernetes_pod_annotation_prometheus_io_scrape"]!.GetValue<string>());
        Assert.Equal("http", labels["__meta_kubernetes_pod_container_port_name"]!.GetValue<string>());
        Assert.Equal("true", labels["__meta_kubernetes_pod_ready"]!.GetValue<string>());
        Assert.Equal("127.10.0.4:9090", groups[1]!["targets"]![0]!.GetValue<string>());
    }
}

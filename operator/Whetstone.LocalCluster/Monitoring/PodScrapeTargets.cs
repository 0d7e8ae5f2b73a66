using System.Text;
using System.Text.Json.Nodes;

namespace Whetstone.LocalCluster.Monitoring;

/// <summary>
/// Pods as Prometheus HTTP service-discovery target groups, labelled exactly as Prometheus' Kubernetes service
/// discovery labels role <c>pod</c> targets (<c>__meta_kubernetes_namespace</c>, <c>__meta_kubernetes_pod_*</c>):
/// one target per declared container port (<c>podIP:port</c>), or one per container without ports (the bare
/// Pod IP). Debian's Prometheus is built without <c>kubernetes_sd_configs</c>; with this endpoint its
/// <c>http_sd_configs</c> discovers Pods from the API server and the usual pod relabelling rules apply unchanged.
/// </summary>
internal static class PodScrapeTargets
{
    /// <summary>The API server path that serves them.</summary>
    public const string Path = "/whetstone/v1/prometheus/pods";

    public static JsonArray Build(IEnumerable<JsonObject> pods)
    {
        var groups = new JsonArray();
        foreach (var pod in pods)
        {
            var ip = Text(pod["status"]?["podIP"]);
            if (ip.Length == 0)
            {
                continue;
            }

            var podLabels = PodLabels(pod);
            foreach (var container in (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var ports = (container["ports"] as JsonArray ?? []).OfType<JsonObject>().ToList();
                if (ports.Count == 0)
                {
                    groups.Add(Group(ip, podLabels, container, null));
                }

                foreach (var port in ports)
                {
                    groups.Add(Group($"{ip}:{port["containerPort"]}", podLabels, container, port));
                }
            }
        }

        return groups;
    }

    private static JsonObject Group(string address, JsonObject podLabels, JsonObject container, JsonObject? port)
    {
        var labels = (JsonObject)podLabels.DeepClone();
        labels["__meta_kubernetes_pod_container_name"] = Text(container["name"]);
        labels["__meta_kubernetes_pod_container_image"] = Text(container["image"]);
        labels["__meta_kubernetes_pod_container_init"] = "false";
        if (port is not null)
        {
            labels["__meta_kubernetes_pod_container_port_name"] = Text(port["name"]);
            labels["__meta_kubernetes_pod_container_port_number"] = port["containerPort"]?.ToJsonString() ?? "";
            labels["__meta_kubernetes_pod_container_port_protocol"] = Text(port["protocol"]) is { Length: > 0 } protocol ? protocol : "TCP";
        }

        return new JsonObject { ["targets"] = new JsonArray(address), ["labels"] = labels };
    }

    private static JsonObject PodLabels(JsonObject pod)
    {
        var metadata = pod["metadata"] as JsonObject ?? [];
        var ready = (pod["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .Any(c => Text(c["type"]) == "Ready" && Text(c["status"]) == "True");
        var labels = new JsonObject
        {
            ["__meta_kubernetes_namespace"] = Text(metadata["namespace"]),
            ["__meta_kubernetes_pod_name"] = Text(metadata["name"]),
            ["__meta_kubernetes_pod_uid"] = Text(metadata["uid"]),
            ["__meta_kubernetes_pod_ip"] = Text(pod["status"]?["podIP"]),
            ["__meta_kubernetes_pod_host_ip"] = Text(pod["status"]?["hostIP"]),
            ["__meta_kubernetes_pod_node_name"] = Text(pod["spec"]?["nodeName"]),
            ["__meta_kubernetes_pod_phase"] = Text(pod["status"]?["phase"]),
            ["__meta_kubernetes_pod_ready"] = ready ? "true" : "false",
        };
        if ((metadata["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(o => o["controller"]?.GetValue<bool>() == true) is { } owner)
        {
            labels["__meta_kubernetes_pod_controller_kind"] = Text(owner["kind"]);
            labels["__meta_kubernetes_pod_controller_name"] = Text(owner["name"]);
        }

        AddMap(labels, metadata["labels"], "label");
        AddMap(labels, metadata["annotations"], "annotation");
        return labels;
    }

    private static void AddMap(JsonObject labels, JsonNode? map, string kind)
    {
        foreach (var (key, value) in map as JsonObject ?? [])
        {
            var name = Sanitize(key);
            labels[$"__meta_kubernetes_pod_{kind}_{name}"] = Text(value);
            labels[$"__meta_kubernetes_pod_{kind}present_{name}"] = "true";
        }
    }

    // Prometheus' strutil.SanitizeLabelName: every character outside [a-zA-Z0-9_] becomes '_'.
    private static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }

        return builder.ToString();
    }

    private static string Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";
}

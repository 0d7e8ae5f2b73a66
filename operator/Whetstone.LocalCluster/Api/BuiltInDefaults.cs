using System.Text;
using System.Text.Json.Nodes;
using Whetstone.LocalCluster.Resources;

namespace Whetstone.LocalCluster.Api;

/// <summary>The defaults kube-apiserver fills in for built-in kinds that clients rely on.</summary>
internal static class BuiltInDefaults
{
    /// <param name="usedClusterIps">The cluster IPs services already hold (a new service gets the lowest free one).</param>
    public static void OnCreate(ResourceType type, JsonObject obj, Func<IReadOnlySet<string>> usedClusterIps)
    {
        if (type == BuiltInResources.Pods)
        {
            var spec = Object(obj, "spec");
            spec["restartPolicy"] ??= "Always";
            spec["terminationGracePeriodSeconds"] ??= 30;
            spec["dnsPolicy"] ??= "ClusterFirst";
            spec["schedulerName"] ??= "default-scheduler";
            spec["serviceAccountName"] ??= "default";
            foreach (var container in (spec["containers"] as JsonArray ?? []).Concat(spec["initContainers"] as JsonArray ?? []).OfType<JsonObject>())
            {
                container["terminationMessagePath"] ??= "/dev/termination-log";
                container["terminationMessagePolicy"] ??= "File";
                container["imagePullPolicy"] ??= (container["image"]?.GetValue<string>() ?? "").EndsWith(":latest", StringComparison.Ordinal) ? "Always" : "IfNotPresent";
            }
            obj["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = "BestEffort" };
        }
        else if (type == BuiltInResources.Services)
        {
            var spec = Object(obj, "spec");
            spec["type"] ??= "ClusterIP";
            spec["sessionAffinity"] ??= "None";
            if (spec["clusterIP"] is null)
            {
                // A loopback address of its own, which the local node's Service proxy listens on.
                var ip = Networking.LoopbackRange.Services.CalculateFree(usedClusterIps())
                    ?? throw new ApiException(500, "InternalError", "no free cluster IP left in 127.11.0.0/16");
                spec["clusterIP"] = ip;
                spec["clusterIPs"] = new JsonArray(ip);
            }
            foreach (var port in (spec["ports"] as JsonArray ?? []).OfType<JsonObject>())
            {
                port["protocol"] ??= "TCP";
                port["targetPort"] ??= port["port"]?.DeepClone();
            }
            obj["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
        }
        else if (type == BuiltInResources.Namespaces)
        {
            var name = obj["metadata"]!["name"]!.GetValue<string>();
            Object(Object(obj, "metadata"), "labels")["kubernetes.io/metadata.name"] = name;
            obj["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
            obj["status"] = new JsonObject { ["phase"] = "Active" };
        }
        OnWrite(type, obj);
    }

    public static void OnWrite(ResourceType type, JsonObject obj)
    {
        if (type == BuiltInResources.Deployments)
        {
            DeploymentDefaults.Apply(obj);
        }
        if (type == BuiltInResources.Secrets)
        {
            if (obj["type"] is not JsonValue secretType || secretType.ToString().Length == 0)
            {
                obj["type"] = "Opaque";
            }
            if (obj["stringData"] is JsonObject stringData)
            {
                var data = Object(obj, "data");
                foreach (var (key, value) in stringData)
                {
                    data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value?.GetValue<string>() ?? ""));
                }
                obj.Remove("stringData");
            }
        }
    }

    internal static JsonObject Object(JsonObject parent, string key)
    {
        if (parent[key] is not JsonObject child)
        {
            parent[key] = child = new JsonObject();
        }
        return child;
    }
}

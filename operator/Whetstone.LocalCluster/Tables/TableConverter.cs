using System.Globalization;
using System.Text.Json.Nodes;
using Whetstone.LocalCluster.Api;
using Whetstone.LocalCluster.Resources;

namespace Whetstone.LocalCluster.Tables;

/// <summary>
/// meta.k8s.io/v1 Table output for kubectl get: the columns kube-apiserver prints for built-in kinds and
/// the CRD's additionalPrinterColumns for custom resources. Ages and date columns are rendered server-side.
/// </summary>
internal static class TableConverter
{
    public static JsonArray ColumnDefinitions(ResourceType type)
    {
        var columns = new JsonArray();
        if (!IsCoreEvent(type))
        {
            columns.Add(Column("Name", "string", "name", "Name must be unique within a namespace.", 0));
        }
        foreach (var (name, kind, priority) in Columns(type))
        {
            columns.Add(Column(name, kind, "", "", priority));
        }
        if (IsCoreEvent(type))
        {
            // kubectl get events shows no NAME column; the name is there for -o wide.
            columns.Add(Column("Name", "string", "name", "Name must be unique within a namespace.", 1));
        }
        return columns;
    }

    public static JsonObject Row(ResourceType type, JsonObject obj, string includeObject)
    {
        var metadata = obj["metadata"] as JsonObject ?? [];
        var cells = new JsonArray();
        if (!IsCoreEvent(type))
        {
            cells.Add(Text(metadata["name"]));
        }
        foreach (var cell in Cells(type, obj))
        {
            cells.Add(cell);
        }
        if (IsCoreEvent(type))
        {
            cells.Add(Text(metadata["name"]));
        }
        var row = new JsonObject { ["cells"] = cells };
        if (includeObject == "Object")
        {
            row["object"] = obj.DeepClone();
        }
        else if (includeObject != "None")
        {
            row["object"] = new JsonObject
            {
                ["kind"] = "PartialObjectMetadata",
                ["apiVersion"] = "meta.k8s.io/v1",
                ["metadata"] = metadata.DeepClone(),
            };
        }
        return row;
    }

    private static bool IsCoreEvent(ResourceType type) => type.Kind == "Event" && type.Group.Length == 0;

    private static JsonObject Column(string name, string type, string format, string description, int priority) => new()
    {
        ["name"] = name,
        ["type"] = type,
        ["format"] = format,
        ["description"] = description,
        ["priority"] = priority,
    };

    private static IEnumerable<(string Name, string Type, int Priority)> Columns(ResourceType type)
    {
        if (type.Custom is { } custom)
        {
            return custom.PrinterColumns.Select(c => (c.Name, c.Type == "date" ? "string" : c.Type, c.Priority));
        }
        return type.Kind switch
        {
            "Pod" => [("Ready", "string", 0), ("Status", "string", 0), ("Restarts", "string", 0), ("Age", "string", 0), ("IP", "string", 1), ("Node", "string", 1)],
            "Namespace" => [("Status", "string", 0), ("Age", "string", 0)],
            "Node" => [("Status", "string", 0), ("Roles", "string", 0), ("Age", "string", 0), ("Version", "string", 0)],
            "Service" => [("Type", "string", 0), ("Cluster-IP", "string", 0), ("External-IP", "string", 0), ("Port(s)", "string", 0), ("Age", "string", 0)],
            "ConfigMap" => [("Data", "integer", 0), ("Age", "string", 0)],
            "Deployment" => [("Ready", "string", 0), ("Up-to-date", "integer", 0), ("Available", "integer", 0), ("Age", "string", 0)],
            "Endpoints" => [("Endpoints", "string", 0), ("Age", "string", 0)],
            "Secret" => [("Type", "string", 0), ("Data", "integer", 0), ("Age", "string", 0)],
            "ServiceAccount" => [("Secrets", "integer", 0), ("Age", "string", 0)],
            "Lease" => [("Holder", "string", 0), ("Age", "string", 0)],
            "Event" when type.Group.Length == 0 => [("Last Seen", "string", 0), ("Type", "string", 0), ("Reason", "string", 0), ("Object", "string", 0), ("Message", "string", 0)],
            "CustomResourceDefinition" => [("Created At", "date", 0)],
            _ => [("Age", "string", 0)],
        };
    }

    private static IEnumerable<JsonNode?> Cells(ResourceType type, JsonObject obj)
    {
        var created = Text(obj["metadata"]?["creationTimestamp"]);
        var age = Timestamps.Age(created);
        if (type.Custom is { } custom)
        {
            foreach (var column in custom.PrinterColumns)
            {
                yield return CustomCell(obj, column);
            }
            yield break;
        }
        switch (type.Kind)
        {
            case "Pod":
                {
                    var containers = obj["spec"]?["containers"] as JsonArray ?? [];
                    var statuses = (obj["status"]?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>().ToList();
                    var ready = statuses.Count(s => s["ready"]?.GetValue<bool>() == true);
                    var restarts = statuses.Sum(s => (int)(Api.JsonInteger.Read(s["restartCount"]) ?? 0));
                    var reason = statuses.Select(s => Text(s["state"]?["waiting"]?["reason"]) is { Length: > 0 } w ? w : Text(s["state"]?["terminated"]?["reason"]))
                        .FirstOrDefault(r => r.Length > 0);
                    var phase = Text(obj["status"]?["phase"]);
                    if (obj["metadata"]?["deletionTimestamp"] is not null)
                    {
                        reason = "Terminating";
                    }
                    yield return $"{ready}/{containers.Count}";
                    yield return reason is { Length: > 0 } && phase != "Succeeded" || reason == "Terminating" ? reason : phase;
                    yield return restarts.ToString(CultureInfo.InvariantCulture);
                    yield return age;
                    yield return Text(obj["status"]?["podIP"]) is { Length: > 0 } ip ? ip : "<none>";
                    yield return Text(obj["spec"]?["nodeName"]) is { Length: > 0 } node ? node : "<none>";
                    break;
                }
            case "Namespace":
                yield return Text(obj["status"]?["phase"]);
                yield return age;
                break;
            case "Node":
                {
                    var ready = (obj["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => Text(c["type"]) == "Ready");
                    yield return ready is not null && Text(ready["status"]) == "True" ? "Ready" : "NotReady";
                    yield return "<none>";
                    yield return age;
                    yield return Text(obj["status"]?["nodeInfo"]?["kubeletVersion"]);
                    break;
                }
            case "Service":
                {
                    var ports = (obj["spec"]?["ports"] as JsonArray ?? []).OfType<JsonObject>()
                        .Select(p => $"{p["port"]}/{(Text(p["protocol"]) is { Length: > 0 } protocol ? protocol : "TCP")}");
                    yield return Text(obj["spec"]?["type"]);
                    yield return Text(obj["spec"]?["clusterIP"]);
                    yield return "<none>";
                    yield return string.Join(",", ports) is { Length: > 0 } joined ? joined : "<none>";
                    yield return age;
                    break;
                }
            case "Deployment":
                {
                    var status = obj["status"] as JsonObject ?? [];
                    yield return $"{Api.JsonInteger.Read(status["readyReplicas"]) ?? 0}/{Api.JsonInteger.Read(obj["spec"]?["replicas"]) ?? 1}";
                    yield return Api.JsonInteger.Read(status["updatedReplicas"]) ?? 0;
                    yield return Api.JsonInteger.Read(status["availableReplicas"]) ?? 0;
                    yield return age;
                    break;
                }
            case "Endpoints":
                {
                    var addresses = (obj["subsets"] as JsonArray ?? []).OfType<JsonObject>().SelectMany(subset =>
                        (subset["addresses"] as JsonArray ?? []).OfType<JsonObject>().SelectMany(address =>
                            (subset["ports"] as JsonArray ?? []).OfType<JsonObject>().Select(port => $"{Text(address["ip"])}:{port["port"]}")))
                        .ToList();
                    yield return addresses.Count == 0 ? "<none>" : string.Join(",", addresses);
                    yield return age;
                    break;
                }
            case "ConfigMap":
                yield return ((obj["data"] as JsonObject)?.Count ?? 0) + ((obj["binaryData"] as JsonObject)?.Count ?? 0);
                yield return age;
                break;
            case "Secret":
                yield return Text(obj["type"]);
                yield return (obj["data"] as JsonObject)?.Count ?? 0;
                yield return age;
                break;
            case "ServiceAccount":
                yield return (obj["secrets"] as JsonArray)?.Count ?? 0;
                yield return age;
                break;
            case "Lease":
                yield return Text(obj["spec"]?["holderIdentity"]) is { Length: > 0 } holder ? holder : "<none>";
                yield return age;
                break;
            case "Event" when type.Group.Length == 0:
                {
                    var involved = obj["involvedObject"];
                    var last = Text(obj["lastTimestamp"]) is { Length: > 0 } l ? l : Text(obj["eventTime"]) is { Length: > 0 } e ? e : created;
                    yield return Timestamps.Age(last);
                    yield return Text(obj["type"]);
                    yield return Text(obj["reason"]);
                    yield return $"{Text(involved?["kind"]).ToLowerInvariant()}/{Text(involved?["name"])}";
                    yield return Text(obj["message"]);
                    break;
                }
            case "CustomResourceDefinition":
                yield return created;
                break;
            default:
                yield return age;
                break;
        }
    }

    private static JsonNode? CustomCell(JsonObject obj, CustomResources.PrinterColumn column)
    {
        var values = SimpleJsonPath.Evaluate(obj, column.JsonPath);
        if (values.Count == 0)
        {
            return null;
        }
        if (column.Type == "date")
        {
            return Timestamps.Age(Text(values[0]));
        }
        if (values.Count == 1 && values[0] is JsonValue && column.Type is "integer" or "number" or "boolean")
        {
            return values[0].DeepClone();
        }
        return string.Join(",", values.Select(v => v is JsonValue value && value.TryGetValue<string>(out var s) ? s : v.ToJsonString()));
    }

    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}

using System.Text.Json.Nodes;
using Whetstone.LocalCluster.Api;

namespace Whetstone.LocalCluster.Patching;

/// <summary>
/// Maintains metadata.managedFields: which manager (and operation, Apply or Update) set which fields.
/// Updates take ownership of the fields they change without conflict; applies may conflict (see ServerSideApply).
/// </summary>
internal static class ManagedFieldsTracker
{
    public sealed record Entry(string Manager, string Operation, string ApiVersion, string? Subresource, string Time, HashSet<string> Fields);

    public static List<Entry> Read(JsonObject obj)
    {
        var entries = new List<Entry>();
        if (obj["metadata"]?["managedFields"] is not JsonArray array)
        {
            return entries;
        }
        foreach (var item in array.OfType<JsonObject>())
        {
            entries.Add(new Entry(
                item["manager"]?.GetValue<string>() ?? "",
                item["operation"]?.GetValue<string>() ?? "Update",
                item["apiVersion"]?.GetValue<string>() ?? "",
                item["subresource"]?.GetValue<string>(),
                item["time"]?.GetValue<string>() ?? Timestamps.Now(),
                FieldSet.FromFieldsV1(item["fieldsV1"] as JsonObject)));
        }
        return entries;
    }

    public static void Write(JsonObject obj, IEnumerable<Entry> entries)
    {
        var array = new JsonArray();
        foreach (var entry in entries.Where(e => e.Fields.Count > 0))
        {
            var item = new JsonObject
            {
                ["manager"] = entry.Manager,
                ["operation"] = entry.Operation,
                ["apiVersion"] = entry.ApiVersion,
                ["time"] = entry.Time,
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = FieldSet.ToFieldsV1(entry.Fields),
            };
            if (entry.Subresource is not null)
            {
                item["subresource"] = entry.Subresource;
            }
            array.Add(item);
        }
        var metadata = (JsonObject)obj["metadata"]!;
        if (array.Count > 0)
        {
            metadata["managedFields"] = array;
        }
        else
        {
            metadata.Remove("managedFields");
        }
    }

    /// <summary>
    /// Drops fields the object does not have from every entry: an apply names what it sent, but unknown fields the
    /// schema pruned are not part of the object (kube-apiserver prunes before its field manager sees them). Before,
    /// such fields stayed listed, and a deeply nested unknown field left managedFields too deep for clients to read.
    /// </summary>
    public static void DropAbsentFields(JsonObject obj)
    {
        var entries = Read(obj);
        foreach (var entry in entries)
        {
            entry.Fields.RemoveWhere(path => !FieldSet.Exists(obj, path));
        }
        Write(obj, entries);
    }

    /// <summary>Records an Update (create, update or non-apply patch) by <paramref name="manager"/> that turned old into updated.</summary>
    public static void RecordUpdate(JsonObject? old, JsonObject updated, string manager, string apiVersion, string? subresource)
    {
        var entries = old is null ? [] : Read(old);
        var before = old is null ? new HashSet<string>(StringComparer.Ordinal) : FieldSet.Of(old);
        var after = FieldSet.Of(updated);
        var changed = after.Where(p => !before.Contains(p) || !JsonNode.DeepEquals(FieldSet.ValueAt(old!, p), FieldSet.ValueAt(updated, p))).ToList();
        var removed = before.Where(p => !after.Contains(p)).ToList();
        foreach (var entry in entries)
        {
            entry.Fields.RemoveWhere(f => removed.Contains(f) || changed.Any(c => FieldSet.Overlaps(c, f)) || !after.Contains(f) && !after.Any(a => FieldSet.Overlaps(a, f)));
        }
        if (changed.Count > 0)
        {
            var mine = entries.FirstOrDefault(e => e.Manager == manager && e.Operation == "Update" && e.Subresource == subresource);
            if (mine is null)
            {
                mine = new Entry(manager, "Update", apiVersion, subresource, Timestamps.Now(), new HashSet<string>(StringComparer.Ordinal));
                entries.Add(mine);
            }
            else
            {
                entries[entries.IndexOf(mine)] = mine = mine with { Time = Timestamps.Now(), ApiVersion = apiVersion };
            }
            mine.Fields.UnionWith(changed);
        }
        Write(updated, entries);
    }
}

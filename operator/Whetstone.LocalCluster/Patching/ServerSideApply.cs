using System.Text.Json.Nodes;
using Whetstone.LocalCluster.Api;

namespace Whetstone.LocalCluster.Patching;

/// <summary>
/// Server-side apply (application/apply-patch+yaml). The applied configuration is merged into the live
/// object; the manager comes to own exactly the fields it applied; fields it applied before and omits now
/// are removed unless someone else owns them; changing a field another manager owns is a 409 conflict
/// unless force is set, which takes the field over. Lists are owned whole (atomic).
/// </summary>
internal static class ServerSideApply
{
    public static JsonObject Apply(JsonObject? live, JsonObject applied, string manager, bool force, string apiVersion, string? subresource,
        bool includeStatus, Func<IReadOnlyList<(string Field, string Message)>, Exception> conflict)
    {
        var result = live is null ? new JsonObject() : (JsonObject)live.DeepClone();
        var entries = live is null ? [] : ManagedFieldsTracker.Read(live);
        var appliedFields = FieldSet.Of(applied, includeStatus);
        var conflicts = new List<(string Field, string Message)>();
        foreach (var entry in entries.Where(e => !(e.Manager == manager && e.Operation == "Apply" && e.Subresource == subresource)))
        {
            foreach (var field in appliedFields)
            {
                var owned = entry.Fields.Where(f => FieldSet.Overlaps(f, field)).ToList();
                if (owned.Count == 0 || (live is not null && JsonNode.DeepEquals(FieldSet.ValueAt(live, field), FieldSet.ValueAt(applied, field))))
                {
                    continue;
                }
                if (force)
                {
                    entry.Fields.ExceptWith(owned);
                }
                else
                {
                    conflicts.Add((FieldSet.Display(field), $"conflict with \"{entry.Manager}\"{(entry.Operation == "Update" ? "" : "")} using {entry.ApiVersion}: {FieldSet.Display(field)}"));
                }
            }
        }
        if (conflicts.Count > 0)
        {
            throw conflict(conflicts);
        }
        var mine = entries.FirstOrDefault(e => e.Manager == manager && e.Operation == "Apply" && e.Subresource == subresource);
        if (mine is not null)
        {
            foreach (var field in mine.Fields.Where(f => !appliedFields.Contains(f)))
            {
                if (!entries.Any(e => e != mine && e.Fields.Any(o => FieldSet.Overlaps(o, field))))
                {
                    FieldSet.RemoveAt(result, field);
                }
            }
            entries.Remove(mine);
        }
        Merge(result, applied);
        entries.Add(new ManagedFieldsTracker.Entry(manager, "Apply", apiVersion, subresource, Timestamps.Now(), appliedFields));
        // Fields set identically by an Update and now applied stay shared; nothing more to reassign.
        if (result["metadata"] is not JsonObject)
        {
            result["metadata"] = new JsonObject();
        }
        ManagedFieldsTracker.Write(result, entries);
        return result;
    }

    private static void Merge(JsonObject target, JsonObject applied)
    {
        foreach (var (key, value) in applied)
        {
            if (value is JsonObject map && target[key] is JsonObject existing)
            {
                Merge(existing, map);
            }
            else if (value is null)
            {
                target.Remove(key);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }
}

using System.Text.Json.Nodes;
using Whetstone.Schema.Structural;

namespace Whetstone.Schema.Validation;

/// <summary>
/// The value at the same place in the stored object, on update. Object fields and map values correlate by
/// name, map-list items by their key fields, set items by value; items of other lists have no old value.
/// </summary>
internal readonly record struct OldValue(bool Exists, JsonNode? Value)
{
    public static OldValue None => default;

    public static OldValue Of(JsonNode? value) => new(true, value);

    public OldValue Field(string name) =>
        Exists && Value is JsonObject obj && obj.TryGetPropertyValue(name, out var child) ? Of(child) : None;

    /// <summary>True when there is an old value and <paramref name="value"/> equals it.</summary>
    public bool IsUnchanged(JsonNode? value) => Exists && JsonEquality.DeepEquals(value, Value);

    /// <summary>A lookup from the items of the new list to the old ones, for a list with <paramref name="schema"/>.</summary>
    public Func<JsonNode?, OldValue> Items(SchemaNode schema)
    {
        if (!Exists || Value is not JsonArray old || schema.ListType == ListType.Atomic) return _ => None;
        if (schema.ListType == ListType.Set)
        {
            var values = old.Select(JsonEquality.CanonicalKey).ToHashSet(StringComparer.Ordinal);
            return item => values.Contains(JsonEquality.CanonicalKey(item)) ? Of(item) : None;
        }
        var byKey = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var item in old) byKey.TryAdd(MapKey(item, schema.ListMapKeys), item);
        return item => byKey.TryGetValue(MapKey(item, schema.ListMapKeys), out var oldItem) ? Of(oldItem) : None;
    }

    private static string MapKey(JsonNode? item, IReadOnlyList<string> keys)
    {
        var fields = new JsonObject();
        if (item is JsonObject obj)
        {
            foreach (var key in keys) fields[key] = obj[key]?.DeepClone();
        }
        return JsonEquality.CanonicalKey(fields);
    }
}

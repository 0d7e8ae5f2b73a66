using System.Text.Json.Nodes;
using Whetstone.Schema.Structural;

namespace Whetstone.Schema.Cel;

/// <summary>A CEL map: a literal's entries, or a view over a JSON object (string keys) converting values on read.</summary>
internal abstract class CelMap
{
    public abstract int Count { get; }

    public abstract IEnumerable<object> Keys { get; }

    public abstract bool TryGetValue(object key, out object? value);

    public static CelMap Of(IReadOnlyList<KeyValuePair<object, object?>> entries) => new LiteralMap(entries);

    public static CelMap Over(JsonObject obj, SchemaNode? schema) => new JsonMap(obj, schema);

    private sealed class LiteralMap(IReadOnlyList<KeyValuePair<object, object?>> entries) : CelMap
    {
        public override int Count => entries.Count;

        public override IEnumerable<object> Keys => entries.Select(e => e.Key);

        public override bool TryGetValue(object key, out object? value)
        {
            foreach (var entry in entries)
            {
                if (CelValues.KeysEqual(entry.Key, key))
                {
                    value = entry.Value;
                    return true;
                }
            }
            value = null;
            return false;
        }
    }

    private sealed class JsonMap(JsonObject obj, SchemaNode? schema) : CelMap
    {
        public override int Count => obj.Count;

        public override IEnumerable<object> Keys => obj.Select(p => (object)p.Key);

        public override bool TryGetValue(object key, out object? value)
        {
            if (key is string name && obj.TryGetPropertyValue(name, out var node))
            {
                value = CelValues.FromJson(node, schema?.FieldSchema(name));
                return true;
            }
            value = null;
            return false;
        }
    }
}

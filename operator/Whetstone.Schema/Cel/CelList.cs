using System.Text.Json.Nodes;
using Whetstone.Schema.Structural;

namespace Whetstone.Schema.Cel;

/// <summary>A CEL list: a literal's values, or a view over a JSON array that converts items as they are read.</summary>
internal abstract class CelList
{
    public abstract int Count { get; }

    public abstract object? this[int index] { get; }

    public static CelList Of(object?[] items) => new ArrayList(items);

    public static CelList Over(JsonArray array, SchemaNode? itemSchema) => new JsonList(array, itemSchema);

    private sealed class ArrayList(object?[] items) : CelList
    {
        public override int Count => items.Length;

        public override object? this[int index] => items[index];
    }

    private sealed class JsonList(JsonArray array, SchemaNode? itemSchema) : CelList
    {
        public override int Count => array.Count;

        public override object? this[int index] => CelValues.FromJson(array[index], itemSchema);
    }
}

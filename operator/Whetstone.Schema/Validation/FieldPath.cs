using System.Globalization;
using System.Text;

namespace Whetstone.Schema.Validation;

/// <summary>
/// A field path built as the validator descends, rendered to text only when an error needs it, so a valid
/// object costs one small allocation per visited node and no string building.
/// </summary>
internal sealed class FieldPath
{
    private readonly FieldPath? _parent;
    private readonly string? _name;
    private readonly int _index;
    private readonly SegmentKind _kind;

    private FieldPath(FieldPath? parent, string? name, int index, SegmentKind kind)
    {
        this._parent = parent;
        this._name = name;
        this._index = index;
        this._kind = kind;
    }

    private enum SegmentKind
    {
        Property,
        MapKey,
        Index,
    }

    public static FieldPath? Root => null;

    public static FieldPath Property(FieldPath? parent, string name) => new(parent, name, 0, SegmentKind.Property);

    public static FieldPath MapKey(FieldPath? parent, string key) => new(parent, key, 0, SegmentKind.MapKey);

    public static FieldPath Index(FieldPath? parent, int index) => new(parent, null, index, SegmentKind.Index);

    /// <summary>
    /// Renders the path. OpenAPI schema errors write map keys as <c>.key</c> (kube-openapi builds its paths that
    /// way); rule errors write them as <c>[key]</c> (apimachinery's <c>field.Path.Key</c>).
    /// </summary>
    public static string Render(FieldPath? path, bool mapKeysInBrackets = false)
    {
        if (path is null) return "";
        var segments = new Stack<FieldPath>();
        for (var at = path; at is not null; at = at._parent) segments.Push(at);
        var builder = new StringBuilder();
        foreach (var segment in segments)
        {
            switch (segment._kind)
            {
                case SegmentKind.Index:
                    builder.Append('[').Append(segment._index.ToString(CultureInfo.InvariantCulture)).Append(']');
                    break;
                case SegmentKind.MapKey when mapKeysInBrackets:
                    builder.Append('[').Append(segment._name).Append(']');
                    break;
                default:
                    if (builder.Length > 0) builder.Append('.');
                    builder.Append(segment._name);
                    break;
            }
        }
        return builder.ToString();
    }
}

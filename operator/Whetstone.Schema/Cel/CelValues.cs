using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Whetstone.Schema.Structural;

namespace Whetstone.Schema.Cel;

/// <summary>
/// CEL values are plain CLR objects: <c>long</c> (int), <c>ulong</c> (uint), <c>double</c>, <c>string</c>,
/// <c>bool</c>, <c>null</c>, <see cref="CelList"/> and <see cref="CelMap"/>. This class converts JSON to them
/// (typed by the schema: a <c>number</c> field is always a double, an <c>integer</c> field an int) and implements
/// equality and ordering, with ints, uints and doubles comparing by numeric value.
/// </summary>
internal static class CelValues
{
    public static object? FromJson(JsonNode? node, SchemaNode? schema)
    {
        switch (node)
        {
            case null: return null;
            case JsonObject obj: return CelMap.Over(obj, schema);
            case JsonArray array: return CelList.Over(array, schema?.Items);
        }
        var value = (JsonValue)node;
        switch (value.GetValueKind())
        {
            case JsonValueKind.String: return value.GetValue<string>();
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            case JsonValueKind.Number:
                var isInteger = JsonNumbers.TryGetInt64(value, out var integer);
                if (schema is { Type: SchemaType.Number }) return JsonNumbers.GetDouble(value);
                if (isInteger) return integer;
                var number = JsonNumbers.GetDouble(value);
                var wantsInteger = schema is { Type: SchemaType.Integer } or { IntOrString: true };
                return wantsInteger && Math.Floor(number) == number && Math.Abs(number) < 9.2e18 ? (long)number : number;
            default: return null;
        }
    }

    /// <summary>The CEL type name of a value, for error messages.</summary>
    public static string TypeName(object? value) => value switch
    {
        null => "null_type",
        long => "int",
        ulong => "uint",
        double => "double",
        string => "string",
        bool => "bool",
        CelList => "list",
        CelMap => "map",
        _ => value.GetType().Name,
    };

    public static bool AreEqual(object? left, object? right)
    {
        if (left is null || right is null) return left is null && right is null;
        if (IsNumber(left) && IsNumber(right)) return CompareNumbers(left, right) == 0;
        switch (left)
        {
            case string a: return right is string text && string.Equals(a, text, StringComparison.Ordinal);
            case bool a: return right is bool flag && a == flag;
            case CelList a:
                if (right is not CelList listB || a.Count != listB.Count) return false;
                for (var i = 0; i < a.Count; i++)
                {
                    if (!AreEqual(a[i], listB[i])) return false;
                }
                return true;
            case CelMap a:
                if (right is not CelMap mapB || a.Count != mapB.Count) return false;
                foreach (var key in a.Keys)
                {
                    if (!mapB.TryGetValue(key, out var other) || !a.TryGetValue(key, out var mine) || !AreEqual(mine, other)) return false;
                }
                return true;
            default:
                return false;
        }
    }

    public static bool KeysEqual(object left, object right) => AreEqual(left, right);

    /// <summary>
    /// Orders two values of comparable types; null when a NaN makes them unordered (every ordering is then false,
    /// as in CEL). Values of types that cannot be compared are a "no such overload" error.
    /// </summary>
    public static int? Compare(object? left, object? right, string op)
    {
        if (left is not null && right is not null)
        {
            if (IsNumber(left) && IsNumber(right)) return CompareNumbers(left, right);
            switch (left)
            {
                case string a when right is string b: return string.CompareOrdinal(a, b);
                case bool a when right is bool b: return a.CompareTo(b);
            }
        }
        throw NoSuchOverload(op, left, right);
    }

    public static bool IsNumber(object? value) => value is long or ulong or double;

    /// <summary>Numeric comparison across int, uint and double; null when a NaN makes them unordered.</summary>
    private static int? CompareNumbers(object left, object right)
    {
        switch (left, right)
        {
            case (long a, long b): return a.CompareTo(b);
            case (ulong a, ulong b): return a.CompareTo(b);
            case (long a, ulong b): return a < 0 ? -1 : ((ulong)a).CompareTo(b);
            case (ulong a, long b): return b < 0 ? 1 : a.CompareTo((ulong)b);
        }
        var x = ToDouble(left);
        var y = ToDouble(right);
        if (double.IsNaN(x) || double.IsNaN(y)) return null;
        // A double equal to an integer's nearest double may still differ from it; compare exactly where it matters.
        if (x == y && left is long l && right is double) return ExactCompare(l, y);
        if (x == y && right is long r && left is double) return -ExactCompare(r, x);
        return x.CompareTo(y);
    }

    private static int ExactCompare(long integer, double number)
    {
        if (number >= 9.223372036854775807e18) return -1;
        if (number < -9.223372036854775808e18) return 1;
        return integer.CompareTo((long)number);
    }

    public static double ToDouble(object value) => value switch
    {
        long l => l,
        ulong u => u,
        double d => d,
        _ => throw new InvalidOperationException("not a number"),
    };

    public static CelEvaluationException NoSuchOverload(string function, params object?[] args) =>
        new($"no such overload: {DisplayName(function)}({string.Join(", ", args.Select(TypeName))})");

    /// <summary>Formats a value for <c>string()</c>.</summary>
    public static string ToText(object? value) => value switch
    {
        string s => s,
        long l => l.ToString(CultureInfo.InvariantCulture),
        ulong u => u.ToString(CultureInfo.InvariantCulture),
        double d => GoText.Float(d),
        bool b => b ? "true" : "false",
        _ => throw NoSuchOverload("string", value),
    };

    /// <summary>The value's text when it has one, else its type name (for messages about keys).</summary>
    public static string ToTextOrType(object? value) =>
        value is string or long or ulong or double or bool ? ToText(value) : TypeName(value);

    private static string DisplayName(string function) => function switch
    {
        "_+_" => "+",
        "_-_" => "-",
        "_*_" => "*",
        "_/_" => "/",
        "_%_" => "%",
        "-_" => "unary -",
        "!_" => "!",
        "_<_" => "<",
        "_<=_" => "<=",
        "_>_" => ">",
        "_>=_" => ">=",
        "_==_" => "==",
        "_!=_" => "!=",
        "_&&_" => "&&",
        "_||_" => "||",
        "@in" => "in",
        "_[_]" => "index",
        "_?_:_" => "?:",
        _ => function,
    };
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace Whetstone.Schema;

/// <summary>
/// Reads numbers from <see cref="JsonValue"/>s whether they were parsed (backed by a JsonElement) or built in code
/// (backed by an int, a double, a decimal...). An integer is a number written without fraction or exponent that
/// fits in 64 bits, as Kubernetes' JSON decoder decides.
/// </summary>
internal static class JsonNumbers
{
    public static bool TryGetInt64(JsonValue value, out long result)
    {
        if (value.TryGetValue(out JsonElement element))
        {
            result = 0;
            return element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out result);
        }
        if (value.TryGetValue(out long l)) { result = l; return true; }
        if (value.TryGetValue(out int i)) { result = i; return true; }
        if (value.TryGetValue(out short s)) { result = s; return true; }
        if (value.TryGetValue(out byte b)) { result = b; return true; }
        if (value.TryGetValue(out uint ui)) { result = ui; return true; }
        if (value.TryGetValue(out ulong ul) && ul <= long.MaxValue) { result = (long)ul; return true; }
        result = 0;
        return false;
    }

    public static double GetDouble(JsonValue value)
    {
        if (value.TryGetValue(out JsonElement element)) return element.GetDouble();
        if (TryGetInt64(value, out var integer)) return integer;
        if (value.TryGetValue(out double d)) return d;
        if (value.TryGetValue(out float f)) return f;
        if (value.TryGetValue(out decimal m)) return (double)m;
        if (value.TryGetValue(out ulong ul)) return ul;
        return double.NaN;
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Whetstone.Schema.Cel;

/// <summary>
/// The runtime behaviour of CEL's operators and functions in the supported subset. Integer arithmetic is checked
/// (overflow is an error, as in CEL); an int meeting a double in arithmetic is widened to double, which CEL
/// proper rejects but CRD rules over <c>number</c> fields written with integer literals need.
/// </summary>
internal static class CelOperators
{
    private static readonly ConcurrentDictionary<string, Regex> DynamicPatterns = new(StringComparer.Ordinal);

    public static object Add(object? left, object? right) => (left, right) switch
    {
        (long a, long b) => AddInts(a, b),
        (ulong a, ulong b) => AddUInts(a, b),
        (string a, string b) => a + b,
        (CelList a, CelList b) => Concat(a, b),
        _ when IsMixedIntDouble(left, right) => CelValues.ToDouble(left!) + CelValues.ToDouble(right!),
        _ => throw CelValues.NoSuchOverload("_+_", left, right),
    };

    public static object Subtract(object? left, object? right) => (left, right) switch
    {
        (long a, long b) => SubtractInts(a, b),
        (ulong a, ulong b) => a >= b ? a - b : throw Overflow(),
        _ when IsMixedIntDouble(left, right) => CelValues.ToDouble(left!) - CelValues.ToDouble(right!),
        _ => throw CelValues.NoSuchOverload("_-_", left, right),
    };

    public static object Multiply(object? left, object? right) => (left, right) switch
    {
        (long a, long b) => MultiplyInts(a, b),
        (ulong a, ulong b) => MultiplyUInts(a, b),
        _ when IsMixedIntDouble(left, right) => CelValues.ToDouble(left!) * CelValues.ToDouble(right!),
        _ => throw CelValues.NoSuchOverload("_*_", left, right),
    };

    public static object Divide(object? left, object? right) => (left, right) switch
    {
        (long, 0L) or (ulong, 0UL) => throw new CelEvaluationException("division by zero"),
        (long a, long b) => a == long.MinValue && b == -1 ? throw Overflow() : a / b,
        (ulong a, ulong b) => a / b,
        _ when IsMixedIntDouble(left, right) => CelValues.ToDouble(left!) / CelValues.ToDouble(right!),
        _ => throw CelValues.NoSuchOverload("_/_", left, right),
    };

    public static object Modulo(object? left, object? right) => (left, right) switch
    {
        (long, 0L) or (ulong, 0UL) => throw new CelEvaluationException("modulus by zero"),
        (long a, long b) => b == -1 ? 0L : a % b,
        (ulong a, ulong b) => a % b,
        _ => throw CelValues.NoSuchOverload("_%_", left, right),
    };

    public static object Negate(object? operand) => operand switch
    {
        long a => a == long.MinValue ? throw Overflow() : -a,
        double d => -d,
        _ => throw CelValues.NoSuchOverload("-_", operand),
    };

    public static bool Not(object? operand) => operand is bool b ? !b : throw CelValues.NoSuchOverload("!_", operand);

    public static object? Index(object? container, object? key)
    {
        switch (container)
        {
            case CelList list:
                var position = key switch
                {
                    long l => l,
                    ulong u => u > long.MaxValue ? long.MaxValue : (long)u,
                    double d when Math.Floor(d) == d && Math.Abs(d) < 9.2e18 => (long)d,
                    _ => throw CelValues.NoSuchOverload("_[_]", container, key),
                };
                if (position < 0 || position >= list.Count)
                {
                    throw new CelEvaluationException("index out of bounds: " + position.ToString(CultureInfo.InvariantCulture));
                }
                return list[(int)position];
            case CelMap map:
                if (key is null or CelList or CelMap) throw CelValues.NoSuchOverload("_[_]", container, key);
                return map.TryGetValue(key, out var value) ? value : throw NoSuchKey(key);
            default:
                throw CelValues.NoSuchOverload("_[_]", container, key);
        }
    }

    public static object? Select(object? operand, string field)
    {
        if (operand is CelMap map)
        {
            return map.TryGetValue(field, out var value) ? value : throw NoSuchKey(field);
        }
        throw new CelEvaluationException($"no such key: {field} (cannot select a field from {CelValues.TypeName(operand)})");
    }

    public static bool Has(object? operand, string field) => operand switch
    {
        CelMap map => map.TryGetValue(field, out _),
        _ => throw new CelEvaluationException($"invalid type for field selection: has() on {CelValues.TypeName(operand)}"),
    };

    public static bool In(object? element, object? container)
    {
        switch (container)
        {
            case CelList list:
                for (var i = 0; i < list.Count; i++)
                {
                    if (CelValues.AreEqual(element, list[i])) return true;
                }
                return false;
            case CelMap map:
                return element is not null && map.TryGetValue(element, out _);
            default:
                throw CelValues.NoSuchOverload("@in", element, container);
        }
    }

    public static long Size(object? value) => value switch
    {
        string s => CountRunes(s),
        CelList list => list.Count,
        CelMap map => map.Count,
        _ => throw CelValues.NoSuchOverload("size", value),
    };

    public static bool StartsWith(object? text, object? prefix) => (text, prefix) switch
    {
        (string s, string p) => s.StartsWith(p, StringComparison.Ordinal),
        _ => throw CelValues.NoSuchOverload("startsWith", text, prefix),
    };

    public static bool EndsWith(object? text, object? suffix) => (text, suffix) switch
    {
        (string s, string p) => s.EndsWith(p, StringComparison.Ordinal),
        _ => throw CelValues.NoSuchOverload("endsWith", text, suffix),
    };

    public static bool Contains(object? text, object? part) => (text, part) switch
    {
        (string s, string p) => s.Contains(p, StringComparison.Ordinal),
        _ => throw CelValues.NoSuchOverload("contains", text, part),
    };

    public static bool Matches(object? text, Regex pattern) =>
        text is string s ? pattern.IsMatch(s) : throw CelValues.NoSuchOverload("matches", text, "string");

    public static bool Matches(object? text, object? pattern)
    {
        if (text is not string s || pattern is not string p) throw CelValues.NoSuchOverload("matches", text, pattern);
        if (!DynamicPatterns.TryGetValue(p, out var regex))
        {
            regex = CompilePattern(p) ?? throw new CelEvaluationException($"invalid regular expression: {GoText.Quote(p)}");
            if (DynamicPatterns.Count < 256) DynamicPatterns.TryAdd(p, regex);
        }
        return regex.IsMatch(s);
    }

    /// <summary>RE2-like: linear time, unanchored search. Null when the pattern is not valid for the engine.</summary>
    public static Regex? CompilePattern(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    public static long ToInt(object? value)
    {
        switch (value)
        {
            case long l: return l;
            case ulong u: return u <= long.MaxValue ? (long)u : throw Overflow();
            case double d:
                if (double.IsNaN(d) || d <= -9.223372036854775808e18 - 1025 || d >= 9.223372036854775807e18)
                {
                    throw new CelEvaluationException($"range error converting {GoText.Float(d)} to int");
                }
                return (long)Math.Truncate(d);
            case string s:
                return long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)
                    ? parsed
                    : throw new CelEvaluationException($"cannot convert {GoText.Quote(s)} to int");
            default:
                throw CelValues.NoSuchOverload("int", value);
        }
    }

    public static double ToDouble(object? value) => value switch
    {
        long or ulong or double => CelValues.ToDouble(value),
        string s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new CelEvaluationException($"cannot convert {GoText.Quote(s)} to double"),
        _ => throw CelValues.NoSuchOverload("double", value),
    };

    private static bool IsMixedIntDouble(object? left, object? right) =>
        (left is double && right is long or double) || (left is long && right is double);

    private static CelList Concat(CelList a, CelList b)
    {
        var items = new object?[a.Count + b.Count];
        for (var i = 0; i < a.Count; i++) items[i] = a[i];
        for (var i = 0; i < b.Count; i++) items[a.Count + i] = b[i];
        return CelList.Of(items);
    }

    private static long AddInts(long a, long b)
    {
        var sum = unchecked(a + b);
        return ((a ^ sum) & (b ^ sum)) < 0 ? throw Overflow() : sum;
    }

    private static ulong AddUInts(ulong a, ulong b)
    {
        var sum = unchecked(a + b);
        return sum < a ? throw Overflow() : sum;
    }

    private static long SubtractInts(long a, long b)
    {
        var difference = unchecked(a - b);
        return ((a ^ b) & (a ^ difference)) < 0 ? throw Overflow() : difference;
    }

    private static long MultiplyInts(long a, long b)
    {
        var product = Math.BigMul(a, b, out var low);
        return (product == 0 && low >= 0) || (product == -1 && low < 0) ? low : throw Overflow();
    }

    private static ulong MultiplyUInts(ulong a, ulong b)
    {
        var high = Math.BigMul(a, b, out var low);
        return high == 0 ? low : throw Overflow();
    }

    private static CelEvaluationException Overflow() => new("integer overflow");

    private static CelEvaluationException NoSuchKey(object key) => new("no such key: " + (key is string s ? s : CelValues.ToTextOrType(key)));

    private static long CountRunes(string text)
    {
        long count = 0;
        foreach (var _ in text.EnumerateRunes()) count++;
        return count;
    }
}

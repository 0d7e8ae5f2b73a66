using System.Text.RegularExpressions;
using Whetstone.Schema.Structural;

namespace Whetstone.Schema.Cel;

/// <summary>The comprehension macros: all, exists, exists_one, filter, map.</summary>
internal sealed partial class CelCompiler
{
    private Compiled Comprehension(CelComprehension comprehension)
    {
        var range = Compile(comprehension.Range);
        var slot = _nextSlot++;
        SlotCount = Math.Max(SlotCount, _nextSlot);
        var elementSchema = range.Schema switch
        {
            { Type: SchemaType.Array } list => list.Items,
            _ => null, // iterating a map binds its keys: strings
        };
        if (range.Schema is { Type: not (SchemaType.Array or SchemaType.Object or SchemaType.Unspecified) } scalar && !scalar.IntOrString)
        {
            throw Error(comprehension.Position, $"the {comprehension.Macro}() macro needs a list or a map, but the value is a {CelTypeOf(scalar)}");
        }
        if (_scope.Exists(s => s.Name == comprehension.Variable && s.Slot < variables.Count))
        {
            throw Error(comprehension.Position, $"the iteration variable '{comprehension.Variable}' hides a variable of the same name");
        }
        _scope.Add((comprehension.Variable, slot, elementSchema));
        var body = comprehension.Body.Select(b => Compile(b).Evaluate).ToArray();
        _scope.RemoveAt(_scope.Count - 1);
        _nextSlot--;

        var source = range.Evaluate;
        var macro = comprehension.Macro;
        CelEvaluator evaluate = macro switch
        {
            "all" => slots => All(Elements(source(slots), macro, slots), slots, slot, body[0]),
            "exists" => slots => Exists(Elements(source(slots), macro, slots), slots, slot, body[0]),
            "exists_one" => slots => ExistsOne(Elements(source(slots), macro, slots), slots, slot, body[0]),
            "filter" => slots => Filter(Elements(source(slots), macro, slots), slots, slot, body[0], null),
            "map" when body.Length == 1 => slots => Filter(Elements(source(slots), macro, slots), slots, slot, null, body[0]),
            "map" => slots => Filter(Elements(source(slots), macro, slots), slots, slot, body[0], body[1]),
            _ => throw Error(comprehension.Position, $"unsupported macro '{macro}'"),
        };
        return new Compiled(evaluate);
    }

    private static List<object?> Elements(object? range, string macro, object?[] slots)
    {
        var elements = range switch
        {
            CelList list => Enumerable.Range(0, list.Count).Select(i => list[i]).ToList(),
            CelMap map => map.Keys.Cast<object?>().ToList(),
            _ => throw CelValues.NoSuchOverload(macro, range),
        };
        // The program keeps its budget in the last slot.
        ((CelIterationBudget)slots[^1]!).Spend(elements.Count);
        return elements;
    }

    private static bool Predicate(CelEvaluator predicate, object?[] slots, string macro)
    {
        var result = predicate(slots);
        return result is bool b ? b : throw new CelEvaluationException($"no such overload: {macro}() predicate returned {CelValues.TypeName(result)}, not bool");
    }

    // all() and exists() follow CEL's error rules: a decisive element (false for all, true for exists) wins over
    // errors on other elements; otherwise the first error is raised.
    private static bool All(List<object?> elements, object?[] slots, int slot, CelEvaluator predicate)
    {
        CelEvaluationException? firstError = null;
        foreach (var element in elements)
        {
            slots[slot] = element;
            try
            {
                if (!Predicate(predicate, slots, "all")) return false;
            }
            catch (CelEvaluationException e)
            {
                firstError ??= e;
            }
        }
        return firstError is null ? true : throw firstError;
    }

    private static bool Exists(List<object?> elements, object?[] slots, int slot, CelEvaluator predicate)
    {
        CelEvaluationException? firstError = null;
        foreach (var element in elements)
        {
            slots[slot] = element;
            try
            {
                if (Predicate(predicate, slots, "exists")) return true;
            }
            catch (CelEvaluationException e)
            {
                firstError ??= e;
            }
        }
        return firstError is null ? false : throw firstError;
    }

    private static bool ExistsOne(List<object?> elements, object?[] slots, int slot, CelEvaluator predicate)
    {
        var count = 0;
        foreach (var element in elements)
        {
            slots[slot] = element;
            if (Predicate(predicate, slots, "exists_one")) count++;
        }
        return count == 1;
    }

    private static CelList Filter(List<object?> elements, object?[] slots, int slot, CelEvaluator? keep, CelEvaluator? transform)
    {
        var results = new List<object?>(elements.Count);
        foreach (var element in elements)
        {
            slots[slot] = element;
            if (keep is not null && !Predicate(keep, slots, transform is null ? "filter" : "map")) continue;
            results.Add(transform is null ? element : transform(slots));
        }
        return CelList.Of(results.ToArray());
    }
}

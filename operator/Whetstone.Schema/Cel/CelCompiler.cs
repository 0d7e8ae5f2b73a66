using System.Text.RegularExpressions;
using Whetstone.Schema.Structural;

namespace Whetstone.Schema.Cel;

/// <summary>
/// Turns a parsed expression into delegates, resolving every name and function at compile time so evaluation
/// does no lookups. Where the schema of a value is known (a path from <c>self</c>), selecting a field the schema
/// does not declare is a compile error, as Kubernetes' type checker makes it.
/// </summary>
internal sealed class CelCompiler(string expression, IReadOnlyList<CelVariable> variables)
{
    private const string SubsetNote = "; see operator/Whetstone.Schema/Cel/README.md for the supported subset";

    private readonly List<(string Name, int Slot, SchemaNode? Schema)> scope =
        variables.Select((v, i) => (v.Name, i, v.Schema)).ToList();

    private readonly HashSet<string> referenced = new(StringComparer.Ordinal);
    private int nextSlot = variables.Count;

    public int SlotCount { get; private set; } = variables.Count;

    public IReadOnlySet<string> ReferencedVariables => referenced;

    /// <summary>What is known statically about a compiled expression: its schema when it reads JSON.</summary>
    private readonly record struct Compiled(CelEvaluator Evaluate, SchemaNode? Schema = null);

    public CelEvaluator CompileRoot(CelExpr root, CelResultKind expected)
    {
        var wanted = expected switch { CelResultKind.Bool => "bool", CelResultKind.String => "string", _ => null };
        if (wanted is not null && StaticTypes(root) is { } possible && !possible.Contains(wanted))
        {
            throw Error(root.Position, $"the expression must evaluate to {wanted}, but evaluates to {string.Join(" or ", possible)}");
        }
        return Compile(root).Evaluate;
    }

    private Compiled Compile(CelExpr expr) => expr switch
    {
        CelLiteral literal => Literal(literal.Value),
        CelIdent ident => Identifier(ident),
        CelSelect select => Select(select),
        CelCall call => Call(call),
        CelListLiteral list => ListLiteral(list),
        CelMapLiteral map => MapLiteral(map),
        CelComprehension comprehension => Comprehension(comprehension),
        _ => throw Error(expr.Position, "unsupported expression"),
    };

    private static Compiled Literal(object? value) => new(_ => value);

    private Compiled Identifier(CelIdent ident)
    {
        for (var i = scope.Count - 1; i >= 0; i--)
        {
            if (scope[i].Name != ident.Name) continue;
            var slot = scope[i].Slot;
            if (slot < variables.Count) referenced.Add(ident.Name);
            return new Compiled(slots => slots[slot], scope[i].Schema);
        }
        throw Error(ident.Position, $"undeclared reference to '{ident.Name}' (in container '')");
    }

    private Compiled Select(CelSelect select)
    {
        var operand = Compile(select.Operand);
        var field = select.Field;
        var fieldSchema = CheckField(operand.Schema, field, select.Position);
        var evaluate = operand.Evaluate;
        if (select.TestOnly) return new Compiled(slots => CelOperators.Has(evaluate(slots), field));
        return new Compiled(slots => CelOperators.Select(evaluate(slots), field), fieldSchema);
    }

    /// <summary>The schema of <paramref name="field"/> within <paramref name="schema"/>; an error if it cannot exist.</summary>
    private SchemaNode? CheckField(SchemaNode? schema, string field, int position)
    {
        if (schema is null || schema.IntOrString || schema.Type == SchemaType.Unspecified) return schema?.FieldSchema(field);
        if (schema.Type != SchemaType.Object)
        {
            throw Error(position, $"type '{CelTypeOf(schema)}' does not support field selection");
        }
        // A resource's metadata is ObjectMeta whatever the schema says of it (generators emit a bare
        // {type: object}), so its fields are not checked against the schema.
        if (field == "metadata" && schema.IsImplicitField(field)) return null;
        if (schema.Properties is not null && schema.Properties.TryGetValue(field, out var property)) return property;
        if (schema.AdditionalProperties is not null) return schema.AdditionalProperties;
        if (schema.PreserveUnknownFields || schema.AllowsAnyAdditionalProperties || schema.IsImplicitField(field)) return null;
        throw Error(position, $"undefined field '{field}'");
    }

    private static string CelTypeOf(SchemaNode schema) => schema.Type switch
    {
        SchemaType.Array => "list",
        SchemaType.String => "string",
        SchemaType.Integer => "int",
        SchemaType.Number => "double",
        SchemaType.Boolean => "bool",
        _ => "map",
    };

    private Compiled ListLiteral(CelListLiteral list)
    {
        var items = list.Items.Select(item => Compile(item).Evaluate).ToArray();
        return new Compiled(slots =>
        {
            var values = new object?[items.Length];
            for (var i = 0; i < items.Length; i++) values[i] = items[i](slots);
            return CelList.Of(values);
        });
    }

    private Compiled MapLiteral(CelMapLiteral map)
    {
        var entries = map.Entries.Select(e => (Key: Compile(e.Key).Evaluate, Value: Compile(e.Value).Evaluate)).ToArray();
        return new Compiled(slots =>
        {
            var values = new List<KeyValuePair<object, object?>>(entries.Length);
            foreach (var (key, value) in entries)
            {
                var k = key(slots);
                if (k is not (string or long or ulong or bool))
                {
                    throw new CelEvaluationException($"unsupported map key type: {CelValues.TypeName(k)}");
                }
                if (values.Exists(existing => CelValues.KeysEqual(existing.Key, k)))
                {
                    throw new CelEvaluationException("Failed with repeated key: " + CelValues.ToText(k));
                }
                values.Add(new KeyValuePair<object, object?>(k, value(slots)));
            }
            return CelMap.Of(values);
        });
    }

    private Compiled Comprehension(CelComprehension comprehension)
    {
        var range = Compile(comprehension.Range);
        var slot = nextSlot++;
        SlotCount = Math.Max(SlotCount, nextSlot);
        var elementSchema = range.Schema switch
        {
            { Type: SchemaType.Array } list => list.Items,
            _ => null, // iterating a map binds its keys: strings
        };
        if (range.Schema is { Type: not (SchemaType.Array or SchemaType.Object or SchemaType.Unspecified) } scalar && !scalar.IntOrString)
        {
            throw Error(comprehension.Position, $"the {comprehension.Macro}() macro needs a list or a map, but the value is a {CelTypeOf(scalar)}");
        }
        if (scope.Exists(s => s.Name == comprehension.Variable && s.Slot < variables.Count))
        {
            throw Error(comprehension.Position, $"the iteration variable '{comprehension.Variable}' hides a variable of the same name");
        }
        scope.Add((comprehension.Variable, slot, elementSchema));
        var body = comprehension.Body.Select(b => Compile(b).Evaluate).ToArray();
        scope.RemoveAt(scope.Count - 1);
        nextSlot--;

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

    private Compiled Call(CelCall call)
    {
        if (call.Target is not null) return Method(call);
        var args = call.Args;
        switch (call.Function)
        {
            case "_&&_": return Logical(args, isAnd: true);
            case "_||_": return Logical(args, isAnd: false);
            case "_?_:_": return Conditional(args);
            case "!_": return Unary(args, v => CelOperators.Not(v));
            case "-_": return Unary(args, CelOperators.Negate);
            case "_==_": return Binary(args, (a, b) => CelValues.AreEqual(a, b));
            case "_!=_": return Binary(args, (a, b) => !CelValues.AreEqual(a, b));
            case "_<_": return Binary(args, (a, b) => CelValues.Compare(a, b, "_<_") is < 0);
            case "_<=_": return Binary(args, (a, b) => CelValues.Compare(a, b, "_<=_") is <= 0);
            case "_>_": return Binary(args, (a, b) => CelValues.Compare(a, b, "_>_") is > 0);
            case "_>=_": return Binary(args, (a, b) => CelValues.Compare(a, b, "_>=_") is >= 0);
            case "@in": return Binary(args, (a, b) => CelOperators.In(a, b));
            case "_+_": return Binary(args, CelOperators.Add);
            case "_-_": return Binary(args, CelOperators.Subtract);
            case "_*_": return Binary(args, CelOperators.Multiply);
            case "_/_": return Binary(args, CelOperators.Divide);
            case "_%_": return Binary(args, CelOperators.Modulo);
            case "_[_]": return IndexOf(args);
        }

        switch (call.Function, args.Count)
        {
            case ("size", 1): return Unary(args, v => CelOperators.Size(v));
            case ("int", 1): return Unary(args, v => CelOperators.ToInt(v));
            case ("double", 1): return Unary(args, v => CelOperators.ToDouble(v));
            case ("string", 1): return Unary(args, CelValues.ToText);
            case ("matches", 2): return MatchesCall(args[0], args[1]);
            case ("size" or "int" or "double" or "string" or "matches", _):
                throw Error(call.Position, $"found no matching overload for '{call.Function}' applied to {args.Count} argument(s)");
            default:
                throw Error(call.Position, $"unsupported function '{call.Function}': not in Whetstone's CEL subset{SubsetNote}");
        }
    }

    private Compiled Method(CelCall call)
    {
        var args = call.Args;
        switch (call.Function, args.Count)
        {
            case ("size", 0): return Unary([call.Target!], v => CelOperators.Size(v));
            case ("startsWith", 1): return Binary([call.Target!, args[0]], (a, b) => CelOperators.StartsWith(a, b));
            case ("endsWith", 1): return Binary([call.Target!, args[0]], (a, b) => CelOperators.EndsWith(a, b));
            case ("contains", 1): return Binary([call.Target!, args[0]], (a, b) => CelOperators.Contains(a, b));
            case ("matches", 1): return MatchesCall(call.Target!, args[0]);
            case ("size" or "startsWith" or "endsWith" or "contains" or "matches", _):
                throw Error(call.Position, $"found no matching overload for '{call.Function}' applied to {args.Count} argument(s)");
            default:
                throw Error(call.Position, $"unsupported function '{call.Function}': not in Whetstone's CEL subset{SubsetNote}");
        }
    }

    private Compiled MatchesCall(CelExpr text, CelExpr pattern)
    {
        var subject = Compile(text).Evaluate;
        if (pattern is CelLiteral { Value: string literal })
        {
            // A constant pattern is compiled once, here, and a bad one is a compile error rather than a runtime one.
            var regex = CelOperators.CompilePattern(literal)
                ?? throw Error(pattern.Position, $"invalid regular expression {GoText.Quote(literal)} in matches()");
            return new Compiled(slots => CelOperators.Matches(subject(slots), regex));
        }
        var dynamicPattern = Compile(pattern).Evaluate;
        return new Compiled(slots => CelOperators.Matches(subject(slots), dynamicPattern(slots)));
    }

    private Compiled IndexOf(IReadOnlyList<CelExpr> args)
    {
        var container = Compile(args[0]);
        var key = Compile(args[1]).Evaluate;
        var schema = container.Schema switch
        {
            { Type: SchemaType.Array } list => list.Items,
            { AdditionalProperties: { } values } => values,
            { Properties: { } properties } when args[1] is CelLiteral { Value: string name } => properties.GetValueOrDefault(name),
            _ => null,
        };
        var source = container.Evaluate;
        return new Compiled(slots => CelOperators.Index(source(slots), key(slots)), schema);
    }

    private Compiled Logical(IReadOnlyList<CelExpr> args, bool isAnd)
    {
        var left = Compile(args[0]).Evaluate;
        var right = Compile(args[1]).Evaluate;
        var function = isAnd ? "_&&_" : "_||_";
        // CEL's && and || are commutative over errors: false && error is false, error || true is true.
        return new Compiled(slots =>
        {
            CelEvaluationException? leftError = null;
            try
            {
                var l = left(slots);
                if (l is bool lb)
                {
                    if (lb != isAnd) return lb;
                }
                else
                {
                    leftError = CelValues.NoSuchOverload(function, l);
                }
            }
            catch (CelEvaluationException e)
            {
                leftError = e;
            }

            object? r;
            try
            {
                r = right(slots);
            }
            catch (CelEvaluationException) when (leftError is not null)
            {
                throw leftError;
            }
            if (r is bool rb)
            {
                if (rb != isAnd) return rb;
                return leftError is null ? rb : throw leftError;
            }
            throw leftError ?? CelValues.NoSuchOverload(function, true, r);
        });
    }

    private Compiled Conditional(IReadOnlyList<CelExpr> args)
    {
        var condition = Compile(args[0]).Evaluate;
        var whenTrue = Compile(args[1]);
        var whenFalse = Compile(args[2]);
        var t = whenTrue.Evaluate;
        var f = whenFalse.Evaluate;
        return new Compiled(slots => condition(slots) switch
        {
            true => t(slots),
            false => f(slots),
            var other => throw CelValues.NoSuchOverload("_?_:_", other),
        }, whenTrue.Schema == whenFalse.Schema ? whenTrue.Schema : null);
    }

    private Compiled Unary(IReadOnlyList<CelExpr> args, Func<object?, object?> operation)
    {
        var operand = Compile(args[0]).Evaluate;
        return new Compiled(slots => operation(operand(slots)));
    }

    private Compiled Binary(IReadOnlyList<CelExpr> args, Func<object?, object?, object?> operation)
    {
        var left = Compile(args[0]).Evaluate;
        var right = Compile(args[1]).Evaluate;
        return new Compiled(slots => operation(left(slots), right(slots)));
    }

    /// <summary>The CEL types an expression can have when evident from its shape, else null (anything).</summary>
    private static string[]? StaticTypes(CelExpr expr) => expr switch
    {
        CelLiteral { Value: null } => ["null_type"],
        CelLiteral { Value: var value } => [CelValues.TypeName(value)],
        CelListLiteral => ["list"],
        CelMapLiteral => ["map"],
        CelComprehension { Macro: "map" or "filter" } => ["list"],
        CelComprehension => ["bool"],
        CelSelect { TestOnly: true } => ["bool"],
        CelCall
        {
            Target: null, Function: "_&&_" or "_||_" or "!_" or "_==_" or "_!=_" or "_<_" or "_<=_" or "_>_"
            or "_>=_" or "@in" or "matches"
        } => ["bool"],
        CelCall { Target: not null, Function: "startsWith" or "endsWith" or "contains" or "matches" } => ["bool"],
        CelCall { Function: "string" } => ["string"],
        CelCall { Function: "size" or "int" } => ["int"],
        CelCall { Function: "double" } => ["double"],
        CelCall { Function: "_%_" } => ["int", "uint"],
        CelCall { Function: "_-_" or "_*_" or "_/_" or "-_" } => ["int", "uint", "double"],
        CelCall { Function: "_+_" } => ["int", "uint", "double", "string", "list"],
        _ => null,
    };

    private CelCompileException Error(int position, string problem) => new(expression, position, problem);
}

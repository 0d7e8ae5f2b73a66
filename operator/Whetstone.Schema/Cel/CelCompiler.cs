using System.Text.RegularExpressions;
using Whetstone.Schema.Structural;

namespace Whetstone.Schema.Cel;

/// <summary>
/// Turns a parsed expression into delegates, resolving every name and function at compile time so evaluation
/// does no lookups. Where the schema of a value is known (a path from <c>self</c>), selecting a field the schema
/// does not declare is a compile error, as Kubernetes' type checker makes it.
/// </summary>
internal sealed partial class CelCompiler(string expression, IReadOnlyList<CelVariable> variables)
{
    private const string SubsetNote = "; see operator/Whetstone.Schema/Cel/README.md for the supported subset";

    private readonly List<(string Name, int Slot, SchemaNode? Schema)> _scope =
        variables.Select((v, i) => (v.Name, i, v.Schema)).ToList();

    private readonly HashSet<string> _referenced = new(StringComparer.Ordinal);
    private int _nextSlot = variables.Count;

    public int SlotCount { get; private set; } = variables.Count;

    public IReadOnlySet<string> ReferencedVariables => _referenced;

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
        for (var i = _scope.Count - 1; i >= 0; i--)
        {
            if (_scope[i].Name != ident.Name) continue;
            var slot = _scope[i].Slot;
            if (slot < variables.Count) _referenced.Add(ident.Name);
            return new Compiled(slots => slots[slot], _scope[i].Schema);
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

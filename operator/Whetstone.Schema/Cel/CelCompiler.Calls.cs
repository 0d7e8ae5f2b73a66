using System.Text.RegularExpressions;
using Whetstone.Schema.Structural;

namespace Whetstone.Schema.Cel;

/// <summary>Function and method calls, logical operators and the conditional.</summary>
internal sealed partial class CelCompiler
{
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
}

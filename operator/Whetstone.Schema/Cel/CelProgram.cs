namespace Whetstone.Schema.Cel;

/// <summary>
/// A CEL expression compiled once into a tree of delegates; evaluating it allocates only the variable slots and
/// the values it builds. Thread-safe: evaluations share nothing mutable.
/// </summary>
internal sealed class CelProgram
{
    private readonly CelEvaluator _root;
    private readonly int _slotCount;
    private readonly int _variableCount;

    private CelProgram(string expression, CelEvaluator root, int slotCount, int variableCount, IReadOnlySet<string> referencedVariables)
    {
        Expression = expression;
        this._root = root;
        this._slotCount = slotCount;
        this._variableCount = variableCount;
        ReferencedVariables = referencedVariables;
    }

    public string Expression { get; }

    /// <summary>The declared variables the expression reads (a rule reading <c>oldSelf</c> is a transition rule).</summary>
    public IReadOnlySet<string> ReferencedVariables { get; }

    /// <summary>Compiles <paramref name="expression"/>; throws <see cref="CelCompileException"/> on anything unsupported.</summary>
    public static CelProgram Compile(string expression, IReadOnlyList<CelVariable> variables, CelResultKind expectedResult = CelResultKind.Any)
    {
        var compiler = new CelCompiler(expression, variables);
        var parsed = CelParser.Parse(expression);
        var evaluator = compiler.CompileRoot(parsed, expectedResult);
        return new CelProgram(expression, evaluator, compiler.SlotCount, variables.Count, compiler.ReferencedVariables);
    }

    /// <summary>Evaluates with the variables' values in declaration order; throws <see cref="CelEvaluationException"/>.</summary>
    public object? Evaluate(params ReadOnlySpan<object?> variableValues)
    {
        if (variableValues.Length != _variableCount)
        {
            throw new ArgumentException($"expected {_variableCount} variable values, got {variableValues.Length}", nameof(variableValues));
        }
        var slots = new object?[_slotCount + 1];
        variableValues.CopyTo(slots);
        slots[^1] = new CelIterationBudget(CelIterationBudget.DefaultLimit);
        return _root(slots);
    }
}

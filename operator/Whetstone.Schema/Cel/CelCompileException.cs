namespace Whetstone.Schema.Cel;

/// <summary>
/// A CEL expression that cannot be compiled: a syntax error, or something outside the supported subset. The
/// message names the line, column and the offending construct, and shows the expression with a caret.
/// </summary>
internal sealed class CelCompileException : Exception
{
    public CelCompileException(string expression, int position, string problem)
        : base(Format(expression, position, problem))
    {
        Expression = expression;
        Position = position;
        Problem = problem;
    }

    public string Expression { get; }

    /// <summary>Character offset of the problem in <see cref="Expression"/>.</summary>
    public int Position { get; }

    public string Problem { get; }

    /// <summary>1-based line of the problem.</summary>
    public int Line => LineAndColumn(Expression, Position).Line;

    /// <summary>1-based column of the problem.</summary>
    public int Column => LineAndColumn(Expression, Position).Column;

    private static (int Line, int Column) LineAndColumn(string expression, int position)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < Math.Min(position, expression.Length); i++)
        {
            if (expression[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        return (line, position - lineStart + 1);
    }

    // The same layout as cel-go's errors, which kube-apiserver shows for a CRD with a bad rule.
    private static string Format(string expression, int position, string problem)
    {
        var (line, column) = LineAndColumn(expression, position);
        var sourceLine = expression.Split('\n')[line - 1];
        return $"ERROR: <input>:{line}:{column}: {problem}\n | {sourceLine}\n | {new string('.', column - 1)}^";
    }
}

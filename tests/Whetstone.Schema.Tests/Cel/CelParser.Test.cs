using Whetstone.Schema.Cel;

namespace Whetstone.Schema.Tests.Cel;

public sealed class CelParserTest
{
    private static string Shape(string expression) => Render(CelParser.Parse(expression));

    // A compact rendering of the tree: calls as name(args), selects as operand.field.
    private static string Render(CelExpr expr) => expr switch
    {
        CelLiteral { Value: string s } => $"'{s}'",
        CelLiteral { Value: null } => "null",
        CelLiteral { Value: bool b } => b ? "true" : "false",
        CelLiteral literal => Convert.ToString(literal.Value, System.Globalization.CultureInfo.InvariantCulture) + literal.Value!.GetType().Name[0],
        CelIdent ident => ident.Name,
        CelSelect { TestOnly: true } select => $"has({Render(select.Operand)}.{select.Field})",
        CelSelect select => $"{Render(select.Operand)}.{select.Field}",
        CelCall { Target: not null } call => $"{Render(call.Target)}.{call.Function}({string.Join(", ", call.Args.Select(Render))})",
        CelCall call => $"{call.Function}({string.Join(", ", call.Args.Select(Render))})",
        CelListLiteral list => $"[{string.Join(", ", list.Items.Select(Render))}]",
        CelMapLiteral map => $"{{{string.Join(", ", map.Entries.Select(e => Render(e.Key) + ": " + Render(e.Value)))}}}",
        CelComprehension c => $"{Render(c.Range)}.{c.Macro}({c.Variable}, {string.Join(", ", c.Body.Select(Render))})",
        _ => "?",
    };

    [Theory]
    [InlineData("a || b && c", "_||_(a, _&&_(b, c))")]
    [InlineData("a && b || c", "_||_(_&&_(a, b), c)")]
    [InlineData("a == b && c < d", "_&&_(_==_(a, b), _<_(c, d))")]
    [InlineData("1 + 2 * 3", "_+_(1I, _*_(2I, 3I))")]
    [InlineData("(1 + 2) * 3", "_*_(_+_(1I, 2I), 3I)")]
    [InlineData("1 - 2 - 3", "_-_(_-_(1I, 2I), 3I)")]
    [InlineData("a + b < c * d", "_<_(_+_(a, b), _*_(c, d))")]
    [InlineData("!a && b", "_&&_(!_(a), b)")]
    [InlineData("-x * 2", "_*_(-_(x), 2I)")]
    [InlineData("x in [1, 2] || y", "_||_(@in(x, [1I, 2I]), y)")]
    [InlineData("a ? b : c ? d : e", "_?_:_(a, b, _?_:_(c, d, e))")]
    [InlineData("a || b ? c : d", "_?_:_(_||_(a, b), c, d)")]
    [InlineData("self.a.b[0]['k']", "_[_](_[_](self.a.b, 0I), 'k')")]
    [InlineData("self.name.startsWith('x')", "self.name.startsWith('x')")]
    [InlineData("size(self.items) > 0", "_>_(size(self.items), 0I)")]
    public void Operators_bind_with_CEL_precedence_and_associativity(string expression, string expected)
    {
        Assert.Equal(expected, Shape(expression));
    }

    [Theory]
    [InlineData("42", "42I")]
    [InlineData("0x1F", "31I")]
    [InlineData("7u", "7U")]
    [InlineData("1.5", "1.5D")]
    [InlineData(".5", "0.5D")]
    [InlineData("1e3", "1000D")]
    [InlineData("-9223372036854775808", "-9223372036854775808I")]
    [InlineData("'it\\'s'", "'it's'")]
    [InlineData("\"tab\\there\"", "'tab\there'")]
    [InlineData("r'\\d+'", "'\\d+'")]
    [InlineData("'''multi\nline'''", "'multi\nline'")]
    [InlineData("'\\u00e9\\x41\\101'", "'éAA'")]
    [InlineData("null", "null")]
    [InlineData("[1, 'a', true,]", "[1I, 'a', true]")]
    [InlineData("{'a': 1, 'b': 2}", "{'a': 1I, 'b': 2I}")]
    public void Literals_are_decoded(string expression, string expected)
    {
        Assert.Equal(expected, Shape(expression));
    }

    [Theory]
    [InlineData("self.all(x, x > 0)", "self.all(x, _>_(x, 0I))")]
    [InlineData("self.map(x, x * 2)", "self.map(x, _*_(x, 2I))")]
    [InlineData("self.map(x, x > 0, x * 2)", "self.map(x, _>_(x, 0I), _*_(x, 2I))")]
    [InlineData("has(self.a.b)", "has(self.a.b)")]
    public void Macros_are_expanded(string expression, string expected)
    {
        Assert.Equal(expected, Shape(expression));
    }

    [Theory]
    [InlineData("self.a +", 1, 9, "unexpected end of expression")]
    [InlineData("(self.a", 1, 8, "expected ')'")]
    [InlineData("self.a = 1", 1, 8, "use == to compare")]
    [InlineData("self.a\n  && )", 2, 6, "unexpected ')'")]
    [InlineData("self.?a", 1, 6, "optional field selection")]
    [InlineData("b'abc' == self", 1, 1, "bytes literals")]
    [InlineData("Foo{a: 1}", 1, 1, "message construction")]
    [InlineData("has(self)", 1, 1, "invalid argument to has()")]
    [InlineData("self.all(1, true)", 1, 10, "must be a simple name")]
    [InlineData("'open", 1, 1, "unterminated string")]
    [InlineData("99999999999999999999", 1, 1, "out of range")]
    [InlineData("if", 1, 1, "reserved identifier")]
    [InlineData("", 1, 1, "empty")]
    public void Syntax_errors_name_the_line_column_and_problem(string expression, int line, int column, string problem)
    {
        var error = Assert.Throws<CelCompileException>(() => CelParser.Parse(expression));

        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"ERROR: <input>:{line}:{column}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_show_the_expression_with_a_caret_under_the_problem()
    {
        var error = Assert.Throws<CelCompileException>(() => CelParser.Parse("self.x + + 1"));

        Assert.Equal("ERROR: <input>:1:10: Syntax error: unexpected '+'\n | self.x + + 1\n | .........^", error.Message);
    }

    [Theory]
    [InlineData(500, "(", ")")]
    [InlineData(5000, "!", "")]
    [InlineData(5000, "-", "")]
    [InlineData(5000, "x + ", "")]
    [InlineData(5000, "x && ", "")]
    public void Deep_nesting_is_refused_instead_of_overflowing_the_stack(int depth, string open, string close)
    {
        var expression = string.Concat(Enumerable.Repeat(open, depth)) + "x" + string.Concat(Enumerable.Repeat(close, depth));

        var error = Assert.Throws<CelCompileException>(() => CelParser.Parse(expression));
        Assert.Contains("nested too deeply", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_token_soup_either_compiles_or_fails_with_a_compile_error()
    {
        string[] pieces =
        [
            "self", ".", "a", "(", ")", "[", "]", "{", "}", ",", ":", "?", "!", "-", "+", "*", "/", "%", "==", "!=",
            "<", "<=", ">", ">=", "&&", "||", "in", "1", "2u", "1.5", "'s'", "\"t\"", "null", "true", "has", "size",
            "all", "x", "map", "exists_one", "r'", "b'x'", "0x", "1e", "'\\q'", "'''", " ", "\n", "oldSelf", "int",
        ];
        var random = new Random(7);
        CelVariable[] variables = [new("self", null), new("oldSelf", null)];
        var self = CelValues.FromJson(System.Text.Json.Nodes.JsonNode.Parse("""{"a": [1, 2], "x": "s"}"""), null);
        var compiled = 0;
        for (var i = 0; i < 5000; i++)
        {
            var expression = string.Concat(Enumerable.Range(0, random.Next(1, 12)).Select(_ => pieces[random.Next(pieces.Length)]));
            CelProgram program;
            try
            {
                program = CelProgram.Compile(expression, variables);
            }
            catch (CelCompileException)
            {
                continue;
            }
            compiled++;
            try
            {
                program.Evaluate(self, null);
            }
            catch (CelEvaluationException)
            {
            }
        }
        Assert.InRange(compiled, 50, 4950); // both paths were exercised
    }
}

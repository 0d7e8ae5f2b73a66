using System.Text.Json.Nodes;
using Whetstone.Schema.Cel;

namespace Whetstone.Schema.Tests.Cel;

public sealed class CelProgramTest
{
    private static readonly CelVariable[] SelfOnly = [new("self", null)];

    private static object? Eval(string expression, string selfJson = "null")
    {
        var program = CelProgram.Compile(expression, SelfOnly);
        return program.Evaluate(CelValues.FromJson(JsonNode.Parse(selfJson), null));
    }

    private static CelEvaluationException EvalError(string expression, string selfJson = "null") =>
        Assert.Throws<CelEvaluationException>(() => Eval(expression, selfJson));

    [Theory]
    [InlineData("1 + 2 == 3")]
    [InlineData("7 / 2 == 3")]
    [InlineData("-7 / 2 == -3")]
    [InlineData("7 % 3 == 1")]
    [InlineData("-7 % 3 == -1")]
    [InlineData("2 * 3 - 1 == 5")]
    [InlineData("7.0 / 2.0 == 3.5")]
    [InlineData("1u + 2u == 3u")]
    [InlineData("'ab' + 'c' == 'abc'")]
    [InlineData("[1] + [2] == [1, 2]")]
    [InlineData("-(-3) == 3")]
    [InlineData("!false")]
    [InlineData("!!true")]
    public void Arithmetic_and_logic_follow_CEL(string expression)
    {
        Assert.Equal(true, Eval(expression));
    }

    [Theory]
    [InlineData("1 == 1.0")]
    [InlineData("1 < 1.5")]
    [InlineData("2.0 > 1")]
    [InlineData("1u == 1")]
    [InlineData("1 + 0.5 == 1.5")]
    [InlineData("0.5 * 2 == 1")]
    [InlineData("3 / 2.0 == 1.5")]
    [InlineData("-1 < 1u")]
    public void Ints_and_doubles_compare_and_combine_by_value(string expression)
    {
        Assert.Equal(true, Eval(expression));
    }

    [Fact]
    public void Fractions_summed_as_doubles_are_compared_with_a_tolerance_by_the_rule_author()
    {
        const string rule = "self.train + self.validation + self.test > 0.999 && self.train + self.validation + self.test < 1.001";

        Assert.Equal(true, Eval(rule, """{"train": 0.8, "validation": 0.1, "test": 0.1}"""));
        Assert.Equal(false, Eval(rule, """{"train": 0.8, "validation": 0.1, "test": 0.2}"""));
        Assert.Equal(true, Eval(rule, """{"train": 1, "validation": 0, "test": 0}"""));
    }

    [Theory]
    [InlineData("1 < 2", true)]
    [InlineData("2 <= 2", true)]
    [InlineData("3 > 4", false)]
    [InlineData("4 >= 4", true)]
    [InlineData("'a' < 'b'", true)]
    [InlineData("false < true", true)]
    [InlineData("1 != 2", true)]
    [InlineData("'a' == 'a'", true)]
    [InlineData("[1, 2] == [1, 2]", true)]
    [InlineData("[1, 2] == [2, 1]", false)]
    [InlineData("{'a': 1} == {'a': 1.0}", true)]
    [InlineData("null == null", true)]
    [InlineData("self == null", true)]
    [InlineData("1 == 'a'", false)]
    [InlineData("'a' != null", true)]
    [InlineData("0.0 / 0.0 < 1.0", false)]
    [InlineData("0.0 / 0.0 >= 1.0", false)]
    [InlineData("0.0 / 0.0 == 0.0 / 0.0", false)]
    [InlineData("1.0 / 0.0 > 1e308", true)]
    public void Comparisons(string expression, bool expected)
    {
        Assert.Equal(expected, Eval(expression));
    }

    [Theory]
    [InlineData("'b' in ['a', 'b']", true)]
    [InlineData("'c' in ['a', 'b']", false)]
    [InlineData("2 in [1.0, 2.0]", true)]
    [InlineData("'a' in {'a': 1}", true)]
    [InlineData("'z' in {'a': 1}", false)]
    [InlineData("'lora' in self", true)]
    public void In_tests_list_membership_and_map_keys(string expression, bool expected)
    {
        Assert.Equal(expected, Eval(expression, """{"lora": {"rank": 8}}"""));
    }

    [Theory]
    [InlineData("true ? 1 : 2", 1L)]
    [InlineData("false ? 1 : 2", 2L)]
    [InlineData("size(self.steps) > 1 ? self.steps[1] : 'none'", "quantize")]
    public void Ternary_picks_a_branch(string expression, object expected)
    {
        Assert.Equal(expected, Eval(expression, """{"steps": ["prune", "quantize"]}"""));
    }

    [Fact]
    public void Ternary_evaluates_only_the_chosen_branch()
    {
        Assert.Equal(0L, Eval("has(self.missing) ? self.missing : 0", "{}"));
    }

    [Theory]
    [InlineData("size('héllo')", 5L)]
    [InlineData("size([1, 2, 3])", 3L)]
    [InlineData("size({'a': 1})", 1L)]
    [InlineData("'abc'.size()", 3L)]
    [InlineData("self.steps.size()", 2L)]
    public void Size_counts_characters_items_and_entries(string expression, long expected)
    {
        Assert.Equal(expected, Eval(expression, """{"steps": [1, 2]}"""));
    }

    [Theory]
    [InlineData("self.uri.startsWith('s3://')", true)]
    [InlineData("self.uri.endsWith('/')", true)]
    [InlineData("self.uri.contains('models')", true)]
    [InlineData("self.uri.matches('^s3://[a-z]+/')", true)]
    [InlineData("matches(self.uri, '^file://')", false)]
    [InlineData("self.uri.matches(self.pattern)", true)]
    public void String_functions(string expression, bool expected)
    {
        Assert.Equal(expected, Eval(expression, """{"uri": "s3://models/tiny/", "pattern": "tiny"}"""));
    }

    [Theory]
    [InlineData("int(2.9)", 2L)]
    [InlineData("int(-2.9)", -2L)]
    [InlineData("int('42')", 42L)]
    [InlineData("int(7u)", 7L)]
    [InlineData("double(3)", 3.0)]
    [InlineData("double('2.5')", 2.5)]
    [InlineData("string(42)", "42")]
    [InlineData("string(2.5)", "2.5")]
    [InlineData("string(true)", "true")]
    [InlineData("string('s')", "s")]
    public void Type_conversions(string expression, object expected)
    {
        Assert.Equal(expected, Eval(expression));
    }

    [Theory]
    [InlineData("self.all(x, x > 0)", true)]
    [InlineData("self.exists(x, x > 2)", true)]
    [InlineData("self.exists_one(x, x > 1)", false)]
    [InlineData("self.exists_one(x, x > 2)", true)]
    [InlineData("self.map(x, x * 2) == [2, 4, 6]", true)]
    [InlineData("self.map(x, x > 1, x * 10) == [20, 30]", true)]
    [InlineData("self.filter(x, x % 2 == 1) == [1, 3]", true)]
    [InlineData("self.all(x, self.exists(y, y == x))", true)]
    [InlineData("[].all(x, false)", true)]
    [InlineData("[].exists(x, true)", false)]
    public void Macros_over_lists(string expression, bool expected)
    {
        Assert.Equal(expected, Eval(expression, "[1, 2, 3]"));
    }

    [Fact]
    public void Macros_over_maps_iterate_keys()
    {
        Assert.Equal(true, Eval("self.all(k, k.startsWith('x'))", """{"xa": 1, "xb": 2}"""));
        Assert.Equal(true, Eval("self.exists(k, self[k] == 2)", """{"xa": 1, "xb": 2}"""));
    }

    [Fact]
    public void Exactly_one_of_is_expressed_with_has()
    {
        const string rule = "[has(self.uri), has(self.fineTuneJobRef), has(self.compressionJobRef)].filter(x, x).size() == 1";

        Assert.Equal(true, Eval(rule, """{"uri": "s3://m/"}"""));
        Assert.Equal(false, Eval(rule, """{"uri": "s3://m/", "fineTuneJobRef": {"name": "a"}}"""));
        Assert.Equal(false, Eval(rule, "{}"));
    }

    [Fact]
    public void Has_tests_presence_without_reading_the_value()
    {
        Assert.Equal(true, Eval("has(self.a)", """{"a": null}"""));
        Assert.Equal(false, Eval("has(self.b)", """{"a": 1}"""));
        Assert.Equal(true, Eval("has(self.a.b)", """{"a": {"b": 1}}"""));
    }

    [Theory]
    [InlineData("self.missing == 1", "no such key: missing")]
    [InlineData("self['missing'] == 1", "no such key: missing")]
    [InlineData("self.list[5] == 1", "index out of bounds: 5")]
    [InlineData("1 / 0 == 1", "division by zero")]
    [InlineData("1 % 0 == 1", "modulus by zero")]
    [InlineData("9223372036854775807 + 1 > 0", "integer overflow")]
    [InlineData("-9223372036854775808 - 1 < 0", "integer overflow")]
    [InlineData("9223372036854775807 * 2 > 0", "integer overflow")]
    [InlineData("self.name > 1", "no such overload: >(string, int)")]
    [InlineData("self.name + 1 == 'a1'", "no such overload: +(string, int)")]
    [InlineData("1 && true", "no such overload")]
    [InlineData("self.name ? 1 : 2", "no such overload")]
    [InlineData("int('x') == 1", "cannot convert \"x\" to int")]
    [InlineData("int(1e30) == 1", "range error")]
    [InlineData("self.name.a == 1", "no such key: a")]
    [InlineData("self.list.all(x, x.y == 1)", "no such key: y")]
    public void Evaluation_errors_are_raised_never_swallowed(string expression, string message)
    {
        Assert.Contains(message, EvalError(expression, """{"name": "n", "list": [1]}""").Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("false && self.missing == 1", false)]
    [InlineData("self.missing == 1 && false", false)]
    [InlineData("true || self.missing == 1", true)]
    [InlineData("self.missing == 1 || true", true)]
    [InlineData("self.list.exists(x, x == 1)", true)]
    public void Logical_operators_absorb_errors_when_the_other_side_decides(string expression, bool expected)
    {
        Assert.Equal(expected, Eval(expression, """{"list": [1, {"a": 1}]}"""));
    }

    [Theory]
    [InlineData("self.missing == 1 && true")]
    [InlineData("true && self.missing == 1")]
    [InlineData("self.missing == 1 || false")]
    public void Logical_operators_raise_errors_when_the_other_side_does_not_decide(string expression)
    {
        EvalError(expression, "{}");
    }

    [Fact]
    public void Null_fields_read_as_null()
    {
        Assert.Equal(true, Eval("self.ttl == null", """{"ttl": null}"""));
        Assert.Contains("no such key", EvalError("self.ttl.x == 1", """{"ttl": null}""").Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("self.x + foo", 10, "undeclared reference to 'foo'")]
    [InlineData("self.name.lowerAscii() == 'a'", 11, "unsupported function 'lowerAscii'")]
    [InlineData("quantity(self.memory) > 1", 1, "unsupported function 'quantity'")]
    [InlineData("size(self, 1) == 1", 1, "found no matching overload for 'size'")]
    [InlineData("self.name.matches('(') ", 19, "invalid regular expression")]
    public void Unsupported_or_unknown_names_fail_to_compile_with_their_position(string expression, int column, string problem)
    {
        var error = Assert.Throws<CelCompileException>(() => CelProgram.Compile(expression, SelfOnly));

        Assert.Equal(column, error.Column);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1 + 2")]
    [InlineData("'text'")]
    [InlineData("size(self)")]
    [InlineData("self.map(x, x)")]
    public void A_rule_that_cannot_be_a_bool_fails_to_compile(string expression)
    {
        var error = Assert.Throws<CelCompileException>(() => CelProgram.Compile(expression, SelfOnly, CelResultKind.Bool));

        Assert.Contains("must evaluate to bool", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Macro_variables_are_scoped_to_their_macro()
    {
        Assert.Throws<CelCompileException>(() => CelProgram.Compile("self.all(x, true) && x > 1", SelfOnly));
        Assert.Equal(true, Eval("self.all(x, x > 0) && self.all(x, x < 10)", "[1, 2]"));
    }

    [Fact]
    public void Macro_variables_may_not_hide_declared_variables()
    {
        var error = Assert.Throws<CelCompileException>(() => CelProgram.Compile("self.all(self, self > 0)", SelfOnly));

        Assert.Contains("hides a variable", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{1: 'a', true: 'b', 'k': 'c'}[1] == 'a'", true)]
    [InlineData("{'a': 1}['a'] == 1", true)]
    public void Map_literals_take_scalar_keys(string expression, bool expected)
    {
        Assert.Equal(expected, Eval(expression));
    }

    [Theory]
    [InlineData("{[1]: 'a'}.size() == 1", "unsupported map key type: list")]
    [InlineData("{'a': 1, 'a': 2}.size() == 1", "repeated key")]
    [InlineData("1u + 1 == 2", "no such overload: +(uint, int)")]
    [InlineData("-(1u) == 1", "no such overload")]
    [InlineData("1.5 % 1.0 == 0.5", "no such overload")]
    public void Unsupported_value_combinations_are_evaluation_errors(string expression, string message)
    {
        Assert.Contains(message, EvalError(expression).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nested_macros_over_large_lists_stop_at_the_iteration_budget()
    {
        var items = "[" + string.Join(",", Enumerable.Range(0, 2000)) + "]";

        var program = CelProgram.Compile("self.all(x, self.all(y, x != y || x == y)) || true", SelfOnly);

        var error = Assert.Throws<CelCostLimitExceededException>(() => program.Evaluate(CelValues.FromJson(JsonNode.Parse(items), null)));
        Assert.Contains("cost limit exceeded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_program_reports_which_variables_it_reads()
    {
        CelVariable[] both = [new("self", null), new("oldSelf", null)];

        Assert.Contains("oldSelf", CelProgram.Compile("self == oldSelf", both).ReferencedVariables);
        Assert.DoesNotContain("oldSelf", CelProgram.Compile("self.all(oldSelfish, true)", both).ReferencedVariables);
    }
}

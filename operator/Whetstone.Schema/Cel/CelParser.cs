namespace Whetstone.Schema.Cel;

/// <summary>
/// Recursive-descent parser for CEL's grammar (precedence from loosest: <c>?:</c>, <c>||</c>, <c>&amp;&amp;</c>,
/// relations and <c>in</c>, <c>+ -</c>, <c>* / %</c>, unary <c>! -</c>, member access). Macros are expanded here,
/// as cel-go does. Constructs outside the supported subset fail with their position.
/// </summary>
internal sealed class CelParser
{
    private const int MaxDepth = 100;

    private static readonly HashSet<string> ReservedWords =
    [
        "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop", "package",
        "namespace", "return", "var", "void", "while",
    ];

    private static readonly HashSet<string> Macros = ["all", "exists", "exists_one", "map", "filter"];

    private readonly string _expression;
    private readonly List<CelToken> _tokens;
    private int _index;
    private int _depth;

    private CelParser(string expression)
    {
        this._expression = expression;
        _tokens = CelLexer.Tokenize(expression);
    }

    public static CelExpr Parse(string expression)
    {
        var parser = new CelParser(expression);
        if (parser.Current.Kind == CelTokenKind.End) throw parser.Error(parser.Current, "Syntax error: the expression is empty");
        var result = parser.ParseExpression();
        if (parser.Current.Kind != CelTokenKind.End) throw parser.Unexpected(parser.Current);
        parser.CheckTreeDepth(result);
        return result;
    }

    /// <summary>
    /// Long operator chains (<c>a + a + ... + a</c>) parse in a loop but build a deep tree, which compiling and
    /// evaluating walk recursively; bound that depth too so no rule can exhaust the stack.
    /// </summary>
    private void CheckTreeDepth(CelExpr root)
    {
        var pending = new Stack<(CelExpr Node, int Depth)>();
        pending.Push((root, 1));
        while (pending.Count > 0)
        {
            var (node, nodeDepth) = pending.Pop();
            if (nodeDepth > 2 * MaxDepth) throw Error(node.Position, $"expression nested too deeply (more than {2 * MaxDepth} levels)");
            IEnumerable<CelExpr> children = node switch
            {
                CelSelect select => [select.Operand],
                CelCall call => call.Target is null ? call.Args : [call.Target, .. call.Args],
                CelListLiteral list => list.Items,
                CelMapLiteral map => map.Entries.SelectMany(e => new[] { e.Key, e.Value }),
                CelComprehension comprehension => [comprehension.Range, .. comprehension.Body],
                _ => [],
            };
            foreach (var child in children) pending.Push((child, nodeDepth + 1));
        }
    }

    private CelToken Current => _tokens[_index];

    private CelToken Peek(int ahead = 1) => _tokens[Math.Min(_index + ahead, _tokens.Count - 1)];

    private CelToken Advance() => _tokens[_index++];

    private bool Accept(CelTokenKind kind)
    {
        if (Current.Kind != kind) return false;
        _index++;
        return true;
    }

    private CelToken Expect(CelTokenKind kind, string what)
    {
        if (Current.Kind != kind)
        {
            throw Error(Current, $"Syntax error: expected {what} but found {Describe(Current)}");
        }
        return Advance();
    }

    private CelExpr ParseExpression()
    {
        EnterNesting();
        try
        {
            var condition = ParseOr();
            if (Current.Kind != CelTokenKind.Question) return condition;
            var question = Advance();
            var whenTrue = ParseOr();
            Expect(CelTokenKind.Colon, "':'");
            var whenFalse = ParseExpression();
            return new CelCall(question.Position, null, "_?_:_", [condition, whenTrue, whenFalse]);
        }
        finally
        {
            _depth--;
        }
    }

    private CelExpr ParseOr()
    {
        var left = ParseAnd();
        while (Current.Kind == CelTokenKind.Or)
        {
            var op = Advance();
            left = new CelCall(op.Position, null, "_||_", [left, ParseAnd()]);
        }
        return left;
    }

    private CelExpr ParseAnd()
    {
        var left = ParseRelation();
        while (Current.Kind == CelTokenKind.And)
        {
            var op = Advance();
            left = new CelCall(op.Position, null, "_&&_", [left, ParseRelation()]);
        }
        return left;
    }

    private CelExpr ParseRelation()
    {
        var left = ParseAddition();
        while (true)
        {
            var function = Current.Kind switch
            {
                CelTokenKind.Equal => "_==_",
                CelTokenKind.NotEqual => "_!=_",
                CelTokenKind.Less => "_<_",
                CelTokenKind.LessOrEqual => "_<=_",
                CelTokenKind.Greater => "_>_",
                CelTokenKind.GreaterOrEqual => "_>=_",
                CelTokenKind.Identifier when Current.Text == "in" => "@in",
                _ => null,
            };
            if (function is null) return left;
            var op = Advance();
            left = new CelCall(op.Position, null, function, [left, ParseAddition()]);
        }
    }

    private CelExpr ParseAddition()
    {
        var left = ParseMultiplication();
        while (Current.Kind is CelTokenKind.Plus or CelTokenKind.Minus)
        {
            var op = Advance();
            left = new CelCall(op.Position, null, op.Kind == CelTokenKind.Plus ? "_+_" : "_-_", [left, ParseMultiplication()]);
        }
        return left;
    }

    private CelExpr ParseMultiplication()
    {
        var left = ParseUnary();
        while (Current.Kind is CelTokenKind.Star or CelTokenKind.Slash or CelTokenKind.Percent)
        {
            var op = Advance();
            var function = op.Kind switch { CelTokenKind.Star => "_*_", CelTokenKind.Slash => "_/_", _ => "_%_" };
            left = new CelCall(op.Position, null, function, [left, ParseUnary()]);
        }
        return left;
    }

    private void EnterNesting()
    {
        if (++_depth > MaxDepth) throw Error(Current, $"expression nested too deeply (more than {MaxDepth} levels)");
    }

    private CelExpr ParseUnary()
    {
        EnterNesting();
        try
        {
            return ParseUnaryOperand();
        }
        finally
        {
            _depth--;
        }
    }

    private CelExpr ParseUnaryOperand()
    {
        if (Current.Kind == CelTokenKind.Not)
        {
            var op = Advance();
            return new CelCall(op.Position, null, "!_", [ParseUnary()]);
        }
        if (Current.Kind == CelTokenKind.Minus)
        {
            var op = Advance();
            // A minus directly before a number is part of the literal, so the most negative int can be written.
            if (Current.Kind == CelTokenKind.Int && !IsMemberContinuation(Peek()))
            {
                var magnitude = (ulong)Advance().Value!;
                return new CelLiteral(op.Position, magnitude == (ulong)long.MaxValue + 1 ? long.MinValue : -(long)magnitude);
            }
            if (Current.Kind == CelTokenKind.Double && !IsMemberContinuation(Peek()))
            {
                return new CelLiteral(op.Position, -(double)Advance().Value!);
            }
            return new CelCall(op.Position, null, "-_", [ParseUnary()]);
        }
        return ParseMember();
    }

    private static bool IsMemberContinuation(CelToken token) => token.Kind is CelTokenKind.Dot or CelTokenKind.LeftBracket;

    private CelExpr ParseMember()
    {
        var operand = ParsePrimary();
        while (true)
        {
            if (Current.Kind == CelTokenKind.Dot)
            {
                var dot = Advance();
                if (Current.Kind == CelTokenKind.Question)
                {
                    throw Error(Current, "unsupported syntax: optional field selection '.?' is not in Whetstone's CEL subset");
                }
                var name = Expect(CelTokenKind.Identifier, "a field or method name");
                if (Current.Kind == CelTokenKind.LeftParen)
                {
                    Advance();
                    var args = ParseArguments(CelTokenKind.RightParen);
                    operand = MethodCall(name, operand, args);
                }
                else
                {
                    operand = new CelSelect(dot.Position, operand, name.Text, TestOnly: false);
                }
            }
            else if (Current.Kind == CelTokenKind.LeftBracket)
            {
                var bracket = Advance();
                if (Current.Kind == CelTokenKind.Question)
                {
                    throw Error(Current, "unsupported syntax: optional index '[?' is not in Whetstone's CEL subset");
                }
                var key = ParseExpression();
                Expect(CelTokenKind.RightBracket, "']'");
                operand = new CelCall(bracket.Position, null, "_[_]", [operand, key]);
            }
            else
            {
                return operand;
            }
        }
    }

    private CelExpr MethodCall(CelToken name, CelExpr target, List<CelExpr> args)
    {
        if (!Macros.Contains(name.Text)) return new CelCall(name.Position, target, name.Text, args);

        var arity = name.Text == "map" ? "two or three" : "two";
        if (args.Count < 2 || args.Count > (name.Text == "map" ? 3 : 2))
        {
            throw Error(name, $"the {name.Text}() macro takes {arity} arguments, found {args.Count}");
        }
        if (args[0] is not CelIdent variable)
        {
            throw Error(args[0].Position, $"argument to the {name.Text}() macro must be a simple name");
        }
        return new CelComprehension(name.Position, name.Text, target, variable.Name, args.Skip(1).ToArray());
    }

    private CelExpr ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case CelTokenKind.Int:
                Advance();
                var magnitude = (ulong)token.Value!;
                if (magnitude > long.MaxValue) throw Error(token, $"error converting {token.Text} to int: out of range");
                return new CelLiteral(token.Position, (long)magnitude);
            case CelTokenKind.UInt:
            case CelTokenKind.Double:
            case CelTokenKind.String:
                Advance();
                return new CelLiteral(token.Position, token.Value);
            case CelTokenKind.Bytes:
                throw Error(token, "unsupported syntax: bytes literals are not in Whetstone's CEL subset");
            case CelTokenKind.LeftParen:
                Advance();
                var inner = ParseExpression();
                Expect(CelTokenKind.RightParen, "')'");
                return inner;
            case CelTokenKind.LeftBracket:
                Advance();
                return new CelListLiteral(token.Position, ParseArguments(CelTokenKind.RightBracket));
            case CelTokenKind.LeftBrace:
                Advance();
                return ParseMapLiteral(token);
            case CelTokenKind.Dot:
                throw Error(token, "unsupported syntax: leading '.' (absolute names) is not in Whetstone's CEL subset");
            case CelTokenKind.Identifier:
                return ParseIdentifier();
            default:
                throw Unexpected(token);
        }
    }

    private CelExpr ParseIdentifier()
    {
        var token = Advance();
        switch (token.Text)
        {
            case "true": return new CelLiteral(token.Position, true);
            case "false": return new CelLiteral(token.Position, false);
            case "null": return new CelLiteral(token.Position, null);
            case "in": throw Unexpected(token);
        }
        if (ReservedWords.Contains(token.Text)) throw Error(token, $"reserved identifier: {token.Text}");
        if (Current.Kind == CelTokenKind.LeftBrace)
        {
            throw Error(token, $"unsupported syntax: message construction '{token.Text}{{...}}' is not in Whetstone's CEL subset");
        }
        if (Current.Kind != CelTokenKind.LeftParen) return new CelIdent(token.Position, token.Text);

        Advance();
        var args = ParseArguments(CelTokenKind.RightParen);
        if (token.Text == "has")
        {
            if (args.Count != 1 || args[0] is not CelSelect select)
            {
                throw Error(token, "invalid argument to has() macro: it takes one field selection such as has(self.field)");
            }
            return select with { TestOnly = true };
        }
        return new CelCall(token.Position, null, token.Text, args);
    }

    private CelMapLiteral ParseMapLiteral(CelToken brace)
    {
        var entries = new List<CelMapEntry>();
        while (Current.Kind != CelTokenKind.RightBrace)
        {
            if (Current.Kind == CelTokenKind.Question)
            {
                throw Error(Current, "unsupported syntax: optional map entries '?key' are not in Whetstone's CEL subset");
            }
            var key = ParseExpression();
            Expect(CelTokenKind.Colon, "':'");
            entries.Add(new CelMapEntry(key, ParseExpression()));
            if (!Accept(CelTokenKind.Comma)) break;
        }
        Expect(CelTokenKind.RightBrace, "'}'");
        return new CelMapLiteral(brace.Position, entries);
    }

    private List<CelExpr> ParseArguments(CelTokenKind close)
    {
        var args = new List<CelExpr>();
        while (Current.Kind != close)
        {
            args.Add(ParseExpression());
            if (!Accept(CelTokenKind.Comma)) break;
        }
        Expect(close, close == CelTokenKind.RightParen ? "')'" : "']'");
        return args;
    }

    private CelCompileException Unexpected(CelToken token) =>
        token.Kind == CelTokenKind.End
            ? Error(token, "Syntax error: unexpected end of expression")
            : Error(token, $"Syntax error: unexpected {Describe(token)}");

    private static string Describe(CelToken token) => token.Kind == CelTokenKind.End ? "end of expression" : $"'{token.Text}'";

    private CelCompileException Error(CelToken token, string problem) => Error(token.Position, problem);

    private CelCompileException Error(int position, string problem) => new(_expression, position, problem);
}

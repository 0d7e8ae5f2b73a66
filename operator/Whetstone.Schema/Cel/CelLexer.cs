using System.Globalization;
using System.Text;

namespace Whetstone.Schema.Cel;

/// <summary>Splits a CEL expression into tokens, decoding number and string literals as the CEL spec defines them.</summary>
internal sealed class CelLexer(string expression)
{
    private int _position;

    public static List<CelToken> Tokenize(string expression)
    {
        var lexer = new CelLexer(expression);
        var tokens = new List<CelToken>();
        CelToken token;
        do
        {
            token = lexer.Next();
            tokens.Add(token);
        }
        while (token.Kind != CelTokenKind.End);
        return tokens;
    }

    private CelToken Next()
    {
        SkipSpaceAndComments();
        if (_position >= expression.Length) return new CelToken(CelTokenKind.End, _position, "");
        var start = _position;
        var c = expression[_position];

        if (char.IsAsciiDigit(c) || (c == '.' && _position + 1 < expression.Length && char.IsAsciiDigit(expression[_position + 1])))
        {
            return Number();
        }
        if (c is '"' or '\'') return StringLiteral(start, raw: false, bytes: false);
        if (IsIdentifierStart(c))
        {
            if (TryStringPrefix(out var raw, out var bytes)) return StringLiteral(start, raw, bytes);
            while (_position < expression.Length && IsIdentifierPart(expression[_position])) _position++;
            return new CelToken(CelTokenKind.Identifier, start, expression[start.._position]);
        }

        _position++;
        var two = _position < expression.Length ? expression[_position] : '\0';
        switch (c)
        {
            case '(': return Token(CelTokenKind.LeftParen, start);
            case ')': return Token(CelTokenKind.RightParen, start);
            case '[': return Token(CelTokenKind.LeftBracket, start);
            case ']': return Token(CelTokenKind.RightBracket, start);
            case '{': return Token(CelTokenKind.LeftBrace, start);
            case '}': return Token(CelTokenKind.RightBrace, start);
            case '.': return Token(CelTokenKind.Dot, start);
            case ',': return Token(CelTokenKind.Comma, start);
            case ':': return Token(CelTokenKind.Colon, start);
            case '?': return Token(CelTokenKind.Question, start);
            case '+': return Token(CelTokenKind.Plus, start);
            case '-': return Token(CelTokenKind.Minus, start);
            case '*': return Token(CelTokenKind.Star, start);
            case '/': return Token(CelTokenKind.Slash, start);
            case '%': return Token(CelTokenKind.Percent, start);
            case '!' when two == '=': _position++; return Token(CelTokenKind.NotEqual, start);
            case '!': return Token(CelTokenKind.Not, start);
            case '=' when two == '=': _position++; return Token(CelTokenKind.Equal, start);
            case '<' when two == '=': _position++; return Token(CelTokenKind.LessOrEqual, start);
            case '<': return Token(CelTokenKind.Less, start);
            case '>' when two == '=': _position++; return Token(CelTokenKind.GreaterOrEqual, start);
            case '>': return Token(CelTokenKind.Greater, start);
            case '&' when two == '&': _position++; return Token(CelTokenKind.And, start);
            case '|' when two == '|': _position++; return Token(CelTokenKind.Or, start);
            case '=':
                throw Error(start, "Syntax error: token recognition error at: '='; use == to compare");
            default:
                throw Error(start, $"Syntax error: token recognition error at: '{c}'");
        }
    }

    private CelToken Token(CelTokenKind kind, int start) => new(kind, start, expression[start.._position]);

    private void SkipSpaceAndComments()
    {
        while (_position < expression.Length)
        {
            var c = expression[_position];
            if (c is ' ' or '\t' or '\n' or '\r' or '\f')
            {
                _position++;
            }
            else if (c == '/' && _position + 1 < expression.Length && expression[_position + 1] == '/')
            {
                while (_position < expression.Length && expression[_position] != '\n') _position++;
            }
            else
            {
                return;
            }
        }
    }

    private bool TryStringPrefix(out bool raw, out bool bytes)
    {
        raw = bytes = false;
        var at = _position;
        while (at < expression.Length && at - _position < 2 && expression[at] is 'r' or 'R' or 'b' or 'B')
        {
            if (expression[at] is 'r' or 'R')
            {
                if (raw) return false;
                raw = true;
            }
            else
            {
                if (bytes) return false;
                bytes = true;
            }
            at++;
        }
        if (at == _position || at >= expression.Length || expression[at] is not ('"' or '\''))
        {
            raw = bytes = false;
            return false;
        }
        _position = at;
        return true;
    }

    private CelToken Number()
    {
        var start = _position;
        if (expression[_position] == '0' && _position + 1 < expression.Length && expression[_position + 1] is 'x' or 'X')
        {
            _position += 2;
            var digitsStart = _position;
            while (_position < expression.Length && char.IsAsciiHexDigit(expression[_position])) _position++;
            if (_position == digitsStart) throw Error(start, "Syntax error: malformed hexadecimal literal");
            var hex = expression[digitsStart.._position];
            return IntegerToken(start, hex, NumberStyles.AllowHexSpecifier);
        }

        var isDouble = false;
        while (_position < expression.Length && char.IsAsciiDigit(expression[_position])) _position++;
        if (_position + 1 < expression.Length && expression[_position] == '.' && char.IsAsciiDigit(expression[_position + 1]))
        {
            isDouble = true;
            _position++;
            while (_position < expression.Length && char.IsAsciiDigit(expression[_position])) _position++;
        }
        if (_position < expression.Length && expression[_position] is 'e' or 'E')
        {
            var exponentStart = _position;
            _position++;
            if (_position < expression.Length && expression[_position] is '+' or '-') _position++;
            var digitsStart = _position;
            while (_position < expression.Length && char.IsAsciiDigit(expression[_position])) _position++;
            if (_position == digitsStart) throw Error(exponentStart, "Syntax error: malformed exponent");
            isDouble = true;
        }
        var text = expression[start.._position];
        if (isDouble)
        {
            return new CelToken(CelTokenKind.Double, start, text, double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        }
        return IntegerToken(start, text, NumberStyles.None);
    }

    private CelToken IntegerToken(int start, string digits, NumberStyles style)
    {
        if (_position < expression.Length && expression[_position] is 'u' or 'U')
        {
            _position++;
            if (!ulong.TryParse(digits, style, CultureInfo.InvariantCulture, out var unsigned))
            {
                throw Error(start, "error converting " + expression[start.._position] + " to uint: out of range");
            }
            return new CelToken(CelTokenKind.UInt, start, expression[start.._position], unsigned);
        }
        // Kept unsigned so that -9223372036854775808 can be negated by the parser.
        if (!ulong.TryParse(digits, style, CultureInfo.InvariantCulture, out var magnitude) || magnitude > (ulong)long.MaxValue + 1)
        {
            throw Error(start, "error converting " + expression[start.._position] + " to int: out of range");
        }
        return new CelToken(CelTokenKind.Int, start, expression[start.._position], magnitude);
    }

    private CelToken StringLiteral(int start, bool raw, bool bytes)
    {
        var quote = expression[_position];
        var triple = _position + 2 < expression.Length && expression[_position + 1] == quote && expression[_position + 2] == quote;
        var delimiter = triple ? new string(quote, 3) : quote.ToString();
        _position += delimiter.Length;
        var builder = new StringBuilder();
        while (true)
        {
            if (_position >= expression.Length) throw Error(start, "Syntax error: unterminated string literal");
            if (string.CompareOrdinal(expression, _position, delimiter, 0, delimiter.Length) == 0)
            {
                _position += delimiter.Length;
                break;
            }
            var c = expression[_position];
            if (!triple && c is '\n' or '\r') throw Error(start, "Syntax error: unterminated string literal");
            if (c == '\\' && !raw)
            {
                AppendEscape(builder);
                continue;
            }
            builder.Append(c);
            _position++;
        }
        var text = expression[start.._position];
        return new CelToken(bytes ? CelTokenKind.Bytes : CelTokenKind.String, start, text, builder.ToString());
    }

    private void AppendEscape(StringBuilder builder)
    {
        var escapeStart = _position;
        _position++;
        if (_position >= expression.Length) throw Error(escapeStart, "Syntax error: unterminated escape sequence");
        var c = expression[_position++];
        switch (c)
        {
            case 'a': builder.Append('\a'); break;
            case 'b': builder.Append('\b'); break;
            case 'f': builder.Append('\f'); break;
            case 'n': builder.Append('\n'); break;
            case 'r': builder.Append('\r'); break;
            case 't': builder.Append('\t'); break;
            case 'v': builder.Append('\v'); break;
            case '\\' or '\'' or '"' or '`' or '?': builder.Append(c); break;
            case 'x' or 'X': AppendCodePoint(builder, escapeStart, 2, 16); break;
            case 'u': AppendCodePoint(builder, escapeStart, 4, 16); break;
            case 'U': AppendCodePoint(builder, escapeStart, 8, 16); break;
            case >= '0' and <= '3':
                _position--;
                AppendCodePoint(builder, escapeStart, 3, 8);
                break;
            default:
                throw Error(escapeStart, $"Syntax error: invalid escape sequence '\\{c}'");
        }
    }

    private void AppendCodePoint(StringBuilder builder, int escapeStart, int digits, int radix)
    {
        if (_position + digits > expression.Length) throw Error(escapeStart, "Syntax error: truncated escape sequence");
        var text = expression.AsSpan(_position, digits);
        var value = 0;
        foreach (var digit in text)
        {
            var d = radix == 16 && char.IsAsciiHexDigit(digit) ? Convert.ToInt32(digit.ToString(), 16)
                : radix == 8 && digit is >= '0' and <= '7' ? digit - '0'
                : -1;
            if (d < 0) throw Error(escapeStart, "Syntax error: invalid escape sequence");
            value = value * radix + d;
        }
        _position += digits;
        if (value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) throw Error(escapeStart, "Syntax error: invalid code point in escape sequence");
        builder.Append(char.ConvertFromUtf32(value));
    }

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private CelCompileException Error(int at, string problem) => new(expression, at, problem);
}

using System.Globalization;
using System.Text;

namespace Whetstone.Schema.Cel;

/// <summary>Splits a CEL expression into tokens, decoding number and string literals as the CEL spec defines them.</summary>
internal sealed class CelLexer(string expression)
{
    private int position;

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
        if (position >= expression.Length) return new CelToken(CelTokenKind.End, position, "");
        var start = position;
        var c = expression[position];

        if (char.IsAsciiDigit(c) || (c == '.' && position + 1 < expression.Length && char.IsAsciiDigit(expression[position + 1])))
        {
            return Number();
        }
        if (c is '"' or '\'') return StringLiteral(start, raw: false, bytes: false);
        if (IsIdentifierStart(c))
        {
            if (TryStringPrefix(out var raw, out var bytes)) return StringLiteral(start, raw, bytes);
            while (position < expression.Length && IsIdentifierPart(expression[position])) position++;
            return new CelToken(CelTokenKind.Identifier, start, expression[start..position]);
        }

        position++;
        var two = position < expression.Length ? expression[position] : '\0';
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
            case '!' when two == '=': position++; return Token(CelTokenKind.NotEqual, start);
            case '!': return Token(CelTokenKind.Not, start);
            case '=' when two == '=': position++; return Token(CelTokenKind.Equal, start);
            case '<' when two == '=': position++; return Token(CelTokenKind.LessOrEqual, start);
            case '<': return Token(CelTokenKind.Less, start);
            case '>' when two == '=': position++; return Token(CelTokenKind.GreaterOrEqual, start);
            case '>': return Token(CelTokenKind.Greater, start);
            case '&' when two == '&': position++; return Token(CelTokenKind.And, start);
            case '|' when two == '|': position++; return Token(CelTokenKind.Or, start);
            case '=':
                throw Error(start, "Syntax error: token recognition error at: '='; use == to compare");
            default:
                throw Error(start, $"Syntax error: token recognition error at: '{c}'");
        }
    }

    private CelToken Token(CelTokenKind kind, int start) => new(kind, start, expression[start..position]);

    private void SkipSpaceAndComments()
    {
        while (position < expression.Length)
        {
            var c = expression[position];
            if (c is ' ' or '\t' or '\n' or '\r' or '\f')
            {
                position++;
            }
            else if (c == '/' && position + 1 < expression.Length && expression[position + 1] == '/')
            {
                while (position < expression.Length && expression[position] != '\n') position++;
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
        var at = position;
        while (at < expression.Length && at - position < 2 && expression[at] is 'r' or 'R' or 'b' or 'B')
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
        if (at == position || at >= expression.Length || expression[at] is not ('"' or '\''))
        {
            raw = bytes = false;
            return false;
        }
        position = at;
        return true;
    }

    private CelToken Number()
    {
        var start = position;
        if (expression[position] == '0' && position + 1 < expression.Length && expression[position + 1] is 'x' or 'X')
        {
            position += 2;
            var digitsStart = position;
            while (position < expression.Length && char.IsAsciiHexDigit(expression[position])) position++;
            if (position == digitsStart) throw Error(start, "Syntax error: malformed hexadecimal literal");
            var hex = expression[digitsStart..position];
            return IntegerToken(start, hex, NumberStyles.AllowHexSpecifier);
        }

        var isDouble = false;
        while (position < expression.Length && char.IsAsciiDigit(expression[position])) position++;
        if (position + 1 < expression.Length && expression[position] == '.' && char.IsAsciiDigit(expression[position + 1]))
        {
            isDouble = true;
            position++;
            while (position < expression.Length && char.IsAsciiDigit(expression[position])) position++;
        }
        if (position < expression.Length && expression[position] is 'e' or 'E')
        {
            var exponentStart = position;
            position++;
            if (position < expression.Length && expression[position] is '+' or '-') position++;
            var digitsStart = position;
            while (position < expression.Length && char.IsAsciiDigit(expression[position])) position++;
            if (position == digitsStart) throw Error(exponentStart, "Syntax error: malformed exponent");
            isDouble = true;
        }
        var text = expression[start..position];
        if (isDouble)
        {
            return new CelToken(CelTokenKind.Double, start, text, double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        }
        return IntegerToken(start, text, NumberStyles.None);
    }

    private CelToken IntegerToken(int start, string digits, NumberStyles style)
    {
        if (position < expression.Length && expression[position] is 'u' or 'U')
        {
            position++;
            if (!ulong.TryParse(digits, style, CultureInfo.InvariantCulture, out var unsigned))
            {
                throw Error(start, "error converting " + expression[start..position] + " to uint: out of range");
            }
            return new CelToken(CelTokenKind.UInt, start, expression[start..position], unsigned);
        }
        // Kept unsigned so that -9223372036854775808 can be negated by the parser.
        if (!ulong.TryParse(digits, style, CultureInfo.InvariantCulture, out var magnitude) || magnitude > (ulong)long.MaxValue + 1)
        {
            throw Error(start, "error converting " + expression[start..position] + " to int: out of range");
        }
        return new CelToken(CelTokenKind.Int, start, expression[start..position], magnitude);
    }

    private CelToken StringLiteral(int start, bool raw, bool bytes)
    {
        var quote = expression[position];
        var triple = position + 2 < expression.Length && expression[position + 1] == quote && expression[position + 2] == quote;
        var delimiter = triple ? new string(quote, 3) : quote.ToString();
        position += delimiter.Length;
        var builder = new StringBuilder();
        while (true)
        {
            if (position >= expression.Length) throw Error(start, "Syntax error: unterminated string literal");
            if (string.CompareOrdinal(expression, position, delimiter, 0, delimiter.Length) == 0)
            {
                position += delimiter.Length;
                break;
            }
            var c = expression[position];
            if (!triple && c is '\n' or '\r') throw Error(start, "Syntax error: unterminated string literal");
            if (c == '\\' && !raw)
            {
                AppendEscape(builder);
                continue;
            }
            builder.Append(c);
            position++;
        }
        var text = expression[start..position];
        return new CelToken(bytes ? CelTokenKind.Bytes : CelTokenKind.String, start, text, builder.ToString());
    }

    private void AppendEscape(StringBuilder builder)
    {
        var escapeStart = position;
        position++;
        if (position >= expression.Length) throw Error(escapeStart, "Syntax error: unterminated escape sequence");
        var c = expression[position++];
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
                position--;
                AppendCodePoint(builder, escapeStart, 3, 8);
                break;
            default:
                throw Error(escapeStart, $"Syntax error: invalid escape sequence '\\{c}'");
        }
    }

    private void AppendCodePoint(StringBuilder builder, int escapeStart, int digits, int radix)
    {
        if (position + digits > expression.Length) throw Error(escapeStart, "Syntax error: truncated escape sequence");
        var text = expression.AsSpan(position, digits);
        var value = 0;
        foreach (var digit in text)
        {
            var d = radix == 16 && char.IsAsciiHexDigit(digit) ? Convert.ToInt32(digit.ToString(), 16)
                : radix == 8 && digit is >= '0' and <= '7' ? digit - '0'
                : -1;
            if (d < 0) throw Error(escapeStart, "Syntax error: invalid escape sequence");
            value = value * radix + d;
        }
        position += digits;
        if (value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) throw Error(escapeStart, "Syntax error: invalid code point in escape sequence");
        builder.Append(char.ConvertFromUtf32(value));
    }

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private CelCompileException Error(int at, string problem) => new(expression, at, problem);
}

using System.Text;

namespace Whetstone.Datasets.Reading;

/// <summary>
/// RFC 4180 rows: comma separated, fields optionally in double quotes, <c>""</c> for a quote inside quotes, line
/// breaks (LF or CRLF; stored as LF) allowed inside quotes. Completely empty lines are passed over (a quoted
/// empty field, <c>""</c>, is a row). Reads one character at a time from a buffered reader, so memory stays at
/// one row.
/// </summary>
internal sealed class CsvRowReader(TextReader reader, string fileName)
{
    private long _line = 1;
    private bool _lastRowHadQuotes;

    public IEnumerable<CsvRow> ReadRows(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var row = ReadRow();
            if (row is null)
            {
                yield break;
            }

            if (row.Fields.Count == 1 && row.Fields[0].Length == 0 && !_lastRowHadQuotes)
            {
                continue;
            }

            yield return row;
        }
    }

    private CsvRow? ReadRow()
    {
        if (Peek() < 0)
        {
            return null;
        }

        var startLine = _line;
        _lastRowHadQuotes = false;
        var fields = new List<string>();
        var field = new StringBuilder();
        while (true)
        {
            var quoted = Peek() == '"';
            if (quoted)
            {
                _lastRowHadQuotes = true;
                Read();
                ReadQuoted(field, startLine);
            }

            var next = ReadUnquoted(field, quoted);
            fields.Add(field.ToString());
            field.Clear();
            if (next != ',')
            {
                return new CsvRow(startLine, fields);
            }
        }
    }

    private void ReadQuoted(StringBuilder field, long startLine)
    {
        var openedOn = _line;
        while (true)
        {
            var ch = Read();
            switch (ch)
            {
                case < 0:
                    throw new DatasetFormatException(fileName, startLine, $"unterminated quoted field (opened on line {openedOn})");
                case '"' when Peek() == '"':
                    Read();
                    field.Append('"');
                    break;
                case '"':
                    return;
                case '\r':
                    if (Peek() == '\n')
                    {
                        Read();
                    }

                    _line++;
                    field.Append('\n');
                    break;
                case '\n':
                    _line++;
                    field.Append('\n');
                    break;
                default:
                    field.Append((char)ch);
                    break;
            }
        }
    }

    /// <summary>Reads up to the end of the field; returns ',' or -1 (end of row or file).</summary>
    private int ReadUnquoted(StringBuilder field, bool afterQuotes)
    {
        while (true)
        {
            var ch = Read();
            switch (ch)
            {
                case < 0:
                    return -1;
                case ',':
                    return ',';
                case '\r':
                    if (Peek() == '\n')
                    {
                        Read();
                    }

                    _line++;
                    return -1;
                case '\n':
                    _line++;
                    return -1;
                case '"':
                    throw new DatasetFormatException(fileName, _line, afterQuotes
                        ? "unexpected text after a closing quote (a quote inside a quoted field is written \"\")"
                        : "quote inside an unquoted field (quote the whole field and write \"\" for a quote)");
                default:
                    if (afterQuotes)
                    {
                        throw new DatasetFormatException(
                            fileName, _line, "unexpected text after a closing quote (a quote inside a quoted field is written \"\")");
                    }

                    field.Append((char)ch);
                    break;
            }
        }
    }

    private int Peek()
    {
        try
        {
            return reader.Peek();
        }
        catch (DecoderFallbackException exception)
        {
            throw new DatasetFormatException(fileName, _line, "the file is not valid UTF-8", exception);
        }
    }

    private int Read()
    {
        try
        {
            return reader.Read();
        }
        catch (DecoderFallbackException exception)
        {
            throw new DatasetFormatException(fileName, _line, "the file is not valid UTF-8", exception);
        }
    }
}

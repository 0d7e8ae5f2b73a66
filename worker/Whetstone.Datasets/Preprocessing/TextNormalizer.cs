using System.Text;
using Whetstone.Datasets.Text;

namespace Whetstone.Datasets.Preprocessing;

/// <summary>
/// Unicode NFKC, then whitespace: runs of spaces and tabs become one space, lines are trimmed, more than one
/// blank line becomes one, the text is trimmed; zero-width spaces, byte order marks and control characters
/// other than the line feed are removed.
/// </summary>
public static class TextNormalizer
{
    /// <summary>Normalizes <paramref name="text"/> as described on the type.</summary>
    public static string Normalize(string text)
    {
        var normalized = UnicodeNfkc.Normalize(text).Replace("\r\n", "\n", StringComparison.Ordinal);
        var builder = new StringBuilder(normalized.Length);
        var pendingSpace = false;
        var pendingNewlines = 0;
        foreach (var ch in normalized)
        {
            if (ch is '\n' or '\r' or '\u2028' or '\u2029')
            {
                pendingNewlines++;
                pendingSpace = false;
                continue;
            }

            if (char.IsWhiteSpace(ch))
            {
                pendingSpace = true;
                continue;
            }

            if (ch is '\u200B' or '\uFEFF' || char.IsControl(ch))
            {
                continue;
            }

            if (builder.Length > 0)
            {
                if (pendingNewlines > 0)
                {
                    builder.Append(pendingNewlines > 1 ? "\n\n" : "\n");
                }
                else if (pendingSpace)
                {
                    builder.Append(' ');
                }
            }

            pendingNewlines = 0;
            pendingSpace = false;
            builder.Append(ch);
        }

        return builder.ToString();
    }
}

namespace Whetstone.ML.Tokenization;

/// <summary>
/// GPT-2's reversible map from bytes to printable characters, which byte-level BPE vocabularies are written in
/// (a space byte is 'Ġ', a newline 'Ċ'). Printable Latin-1 bytes map to themselves, the rest to U+0100 onwards.
/// </summary>
public static class ByteLevelAlphabet
{
    private static readonly char[] ByteToChar = BuildMap();

    /// <summary>The character standing for <paramref name="value"/>.</summary>
    public static char ToChar(byte value) => ByteToChar[value];

    /// <summary>All 256 byte characters, in byte order.</summary>
    public static IReadOnlyList<char> Characters => ByteToChar;

    /// <summary>The UTF-8 bytes of <paramref name="text"/> written as byte characters.</summary>
    public static string Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        return string.Create(bytes.Length, bytes, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = ByteToChar[source[i]];
            }
        });
    }

    private static char[] BuildMap()
    {
        static bool Printable(int b) => (b >= '!' && b <= '~') || (b >= '¡' && b <= '¬') || (b >= '®' && b <= 'ÿ');
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            map[b] = Printable(b) ? (char)b : (char)next++;
        }
        return map;
    }
}

using Whetstone.ModelRuntime;

namespace Whetstone.Serving.Http;

/// <summary>
/// How much of a sequence still being generated can be sent: everything but a trailing partial character and a
/// trailing piece that may be the start of a stop sequence (which the final text would cut). What is sent is then
/// always a prefix of the final text.
/// </summary>
internal static class StreamedText
{
    public static string Sendable(GenerationResult partial, IReadOnlyList<string> stops, bool finished)
    {
        var text = partial.Text;
        if (finished)
        {
            return text;
        }
        var end = text.Length;
        while (end > 0 && text[end - 1] == '\uFFFD')
        {
            end--;
        }
        var held = 0;
        foreach (var stop in stops)
        {
            for (var length = Math.Min(stop.Length - 1, end); length > held; length--)
            {
                if (string.CompareOrdinal(text, end - length, stop, 0, length) == 0)
                {
                    held = length;
                    break;
                }
            }
        }
        return text[..(end - held)];
    }
}

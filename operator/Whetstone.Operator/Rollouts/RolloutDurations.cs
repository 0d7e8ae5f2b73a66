using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Whetstone.Operator.Rollouts;

/// <summary>The API's duration strings (<c>10m</c>, <c>90s</c>, <c>1h30m</c>, <c>250ms</c>) both ways.</summary>
public static partial class RolloutDurations
{
    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> naming <paramref name="field"/>.</summary>
    public static TimeSpan Parse(string text, string field)
    {
        ArgumentNullException.ThrowIfNull(text);
        var matches = Part().Matches(text);
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != text)
        {
            throw new FormatException($"{field}: \"{text}\" is not a duration such as 90s, 10m or 1h30m");
        }

        return matches.Aggregate(TimeSpan.Zero, (sum, m) =>
        {
            var amount = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return sum + m.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                _ => TimeSpan.FromHours(amount),
            };
        });
    }

    /// <summary>Formats for people: <c>4m12s</c>, <c>10m</c>, <c>1h5m</c>, <c>0s</c> (whole seconds, rounded down).</summary>
    public static string Format(TimeSpan duration)
    {
        var seconds = Math.Max(0, (long)Math.Floor(duration.TotalSeconds));
        var text = new StringBuilder();
        if (seconds >= 3600)
        {
            text.Append(CultureInfo.InvariantCulture, $"{seconds / 3600}h");
        }

        if (seconds % 3600 >= 60)
        {
            text.Append(CultureInfo.InvariantCulture, $"{seconds % 3600 / 60}m");
        }

        if (seconds % 60 != 0 || seconds == 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{seconds % 60}s");
        }

        return text.ToString();
    }

    [GeneratedRegex(@"([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)")]
    private static partial Regex Part();
}

using System.Globalization;

namespace Whetstone.LocalCluster.Api;

/// <summary>Kubernetes time formats (RFC 3339, second precision, UTC) and kubectl-style ages.</summary>
internal static class Timestamps
{
    public static string Now() => Format(DateTimeOffset.UtcNow);

    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Age the way kubectl prints it: 5s, 3m20s, 4h, 2d.</summary>
    public static string Age(string? timestamp)
    {
        if (timestamp is null || !DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return "<unknown>";
        }
        var age = DateTimeOffset.UtcNow - time;
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }
        return age.TotalSeconds < 120 ? $"{(int)age.TotalSeconds}s"
            : age.TotalMinutes < 10 ? $"{(int)age.TotalMinutes}m{age.Seconds}s"
            : age.TotalHours < 3 ? $"{(int)age.TotalMinutes}m"
            : age.TotalHours < 8 ? $"{(int)age.TotalHours}h{age.Minutes}m"
            : age.TotalDays < 2 ? $"{(int)age.TotalHours}h"
            : $"{(int)age.TotalDays}d";
    }
}

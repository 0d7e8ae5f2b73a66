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
        return Tables.KubectlAge.Format(DateTimeOffset.UtcNow - time);
    }
}

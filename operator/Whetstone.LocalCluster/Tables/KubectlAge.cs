namespace Whetstone.LocalCluster.Tables;

/// <summary>An age the way kubectl prints it: 45s, 3m20s, 40m, 4h5m, 20h, 3d.</summary>
public static class KubectlAge
{
    /// <summary>Formats <paramref name="age"/>; a negative age (clock skew) prints as 0s.</summary>
    public static string Format(TimeSpan age)
    {
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

using System.Text.RegularExpressions;

namespace Whetstone.LocalCluster.Discovery;

/// <summary>Kubernetes version ordering: GA before beta before alpha, higher numbers first (v2, v1, v1beta2, v1beta1, v1alpha1).</summary>
internal static partial class VersionPriority
{
    [GeneratedRegex(@"^v(\d+)(?:(alpha|beta)(\d+))?$")]
    private static partial Regex KubeVersion();

    public static IEnumerable<string> Order(IEnumerable<string> versions) =>
        versions.Distinct().OrderByDescending(Rank).ThenBy(v => v, StringComparer.Ordinal);

    private static long Rank(string version)
    {
        var match = KubeVersion().Match(version);
        if (!match.Success)
        {
            return long.MinValue;
        }
        var major = long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var stage = match.Groups[2].Value switch { "" => 3, "beta" => 2, _ => 1 };
        var minor = match.Groups[3].Success ? long.Parse(match.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        return stage * 1_000_000_000L + major * 1000 + minor;
    }
}

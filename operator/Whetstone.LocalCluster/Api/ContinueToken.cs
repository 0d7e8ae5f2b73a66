using System.Globalization;
using System.Text;

namespace Whetstone.LocalCluster.Api;

/// <summary>
/// The opaque list continuation: the resourceVersion of the first page and the last key served. Later pages
/// read the current state after that key (Kubernetes would serve the first page's snapshot).
/// </summary>
internal static class ContinueToken
{
    public static string Encode(long resourceVersion, string afterKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{resourceVersion.ToString(CultureInfo.InvariantCulture)}\n{afterKey}"));

    public static string Decode(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var newline = text.IndexOf('\n', StringComparison.Ordinal);
            return newline < 0 ? throw new FormatException() : text[(newline + 1)..];
        }
        catch (FormatException)
        {
            throw ApiException.BadRequest("continue key is not valid: illegal base64 data");
        }
    }
}

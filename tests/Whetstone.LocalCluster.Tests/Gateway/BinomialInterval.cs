namespace Whetstone.LocalCluster.Tests.Gateway;

/// <summary>The normal approximation of the binomial's central 99 % interval (z = 2.576), widened to whole counts.</summary>
internal static class BinomialInterval
{
    public static (int Low, int High) Central99(int n, double p)
    {
        var spread = 2.576 * Math.Sqrt(n * p * (1 - p));
        return ((int)Math.Floor(n * p - spread), (int)Math.Ceiling(n * p + spread));
    }
}

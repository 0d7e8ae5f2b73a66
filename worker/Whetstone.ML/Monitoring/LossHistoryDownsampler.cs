namespace Whetstone.ML.Monitoring;

/// <summary>Thins a loss curve to a bounded number of points for the job status.</summary>
public static class LossHistoryDownsampler
{
    /// <summary>
    /// Returns at most <paramref name="maxPoints"/> points chosen at evenly spaced indices, always keeping the first
    /// and the last point, so the bounded curve spans the whole run. Returns the input unchanged when it already fits.
    /// Points that carry a validation loss are not favoured: even spacing keeps the shape honest.
    /// </summary>
    public static IReadOnlyList<LossPoint> Downsample(IReadOnlyList<LossPoint> points, int maxPoints)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 2);
        if (points.Count <= maxPoints)
        {
            return [.. points];
        }

        var result = new LossPoint[maxPoints];
        var last = points.Count - 1;
        for (var i = 0; i < maxPoints; i++)
        {
            // Rounded positions of maxPoints evenly spaced marks from 0 to last: strictly increasing because
            // the spacing last / (maxPoints - 1) is greater than 1 here.
            var index = (int)Math.Round((double)i * last / (maxPoints - 1), MidpointRounding.AwayFromZero);
            result[i] = points[index];
        }

        return result;
    }
}

namespace Whetstone.Evaluation.Detection;

/// <summary>
/// The fixed parameters of COCO's bounding-box evaluation, computed the way the reference computes them
/// (numpy's <c>linspace</c>: <c>start + i · step</c>, the last value set to the end exactly), so that a recall or
/// IoU lying on a threshold compares the same way.
/// </summary>
public static class CocoParameters
{
    /// <summary>IoU thresholds 0.50, 0.55, …, 0.95.</summary>
    public static readonly IReadOnlyList<double> IouThresholds = Linspace(0.5, 0.95, 10);

    /// <summary>Recall points 0, 0.01, …, 1 at which precision is sampled.</summary>
    public static readonly IReadOnlyList<double> RecallThresholds = Linspace(0.0, 1.0, 101);

    /// <summary>Detections per image kept, by score, for AR@1, AR@10 and AR@100 / mAP.</summary>
    public static readonly IReadOnlyList<int> MaxDetections = [1, 10, 100];

    /// <summary>The area ranges in reporting order.</summary>
    public static readonly IReadOnlyList<AreaRange> AreaRanges = [AreaRange.All, AreaRange.Small, AreaRange.Medium, AreaRange.Large];

    /// <summary>Inclusive area bounds of <paramref name="range"/> in pixels².</summary>
    public static (double Low, double High) Bounds(AreaRange range) => range switch
    {
        AreaRange.All => (0, 1e10),
        AreaRange.Small => (0, 32 * 32),
        AreaRange.Medium => (32 * 32, 96 * 96),
        AreaRange.Large => (96 * 96, 1e10),
        _ => throw new ArgumentOutOfRangeException(nameof(range), range, "unknown area range"),
    };

    private static double[] Linspace(double start, double stop, int count)
    {
        var step = (stop - start) / (count - 1);
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (i * step) + start;
        }

        values[^1] = stop;
        return values;
    }
}

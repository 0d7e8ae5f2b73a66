namespace Whetstone.Evaluation.Detection;

/// <summary>
/// The accumulated COCO evaluation: sampled precision [IoU, recall point, category, area range, maxDets] and recall
/// [IoU, category, area range, maxDets], -1 for a category without ground truth in that area range; and the summary
/// figures, each the mean over the entries that are not -1 (-1 when there are none), as COCO's summarize.
/// </summary>
public sealed class DetectionMetrics
{
    private readonly double[,,,,] _precision;
    private readonly double[,,,] _recall;

    /// <summary>Wraps accumulated arrays; <see cref="CocoEvaluator.Evaluate"/> creates it.</summary>
    internal DetectionMetrics(IReadOnlyList<string> categories, IReadOnlyList<int> groundTruthCounts, double[,,,,] precision, double[,,,] recall)
    {
        Categories = categories;
        _precision = precision;
        _recall = recall;
        PerCategory = categories.Select((c, k) => new CategoryAveragePrecision(
            c,
            groundTruthCounts[k],
            MeanPrecision(null, k, AreaRange.All, 100),
            MeanPrecision(0, k, AreaRange.All, 100),
            MeanPrecision(IndexOfIou(0.75), k, AreaRange.All, 100),
            MeanRecall(k, AreaRange.All, 100))).ToArray();
    }

    /// <summary>Every category seen in ground truth or predictions, ordinal order.</summary>
    public IReadOnlyList<string> Categories { get; }

    /// <summary>Per-category AP, AP50, AP75 and AR@100 (area all).</summary>
    public IReadOnlyList<CategoryAveragePrecision> PerCategory { get; }

    /// <summary>mAP@[.5:.95], area all, 100 detections (COCO's first statistic; api.md's <c>map</c>).</summary>
    public double Map => MeanPrecision(null, null, AreaRange.All, 100);

    /// <summary>mAP@.5 (api.md's <c>map50</c>).</summary>
    public double Map50 => MeanPrecision(0, null, AreaRange.All, 100);

    /// <summary>mAP@.75.</summary>
    public double Map75 => MeanPrecision(IndexOfIou(0.75), null, AreaRange.All, 100);

    /// <summary>AR@100, area all: recall averaged over IoU thresholds and categories.</summary>
    public double Ar100 => MeanRecall(null, AreaRange.All, 100);

    /// <summary>mAP@[.5:.95] over one area range (100 detections).</summary>
    public double MapOf(AreaRange area) => MeanPrecision(null, null, area, 100);

    /// <summary>Average recall at <paramref name="maxDetections"/> (1, 10 or 100) over one area range.</summary>
    public double ArOf(AreaRange area, int maxDetections) => MeanRecall(null, area, maxDetections);

    /// <summary>The 101 sampled precisions of one category at one IoU threshold index (0 = 0.5, …, 9 = 0.95).</summary>
    public IReadOnlyList<double> SampledPrecision(string category, int iouIndex, AreaRange area = AreaRange.All, int maxDetections = 100)
    {
        var k = IndexOfCategory(category);
        var a = (int)area;
        var m = IndexOfMaxDetections(maxDetections);
        return Enumerable.Range(0, CocoParameters.RecallThresholds.Count).Select(r => _precision[iouIndex, r, k, a, m]).ToArray();
    }

    /// <summary>The recall reached by one category at one IoU threshold index (-1 without ground truth).</summary>
    public double Recall(string category, int iouIndex, AreaRange area = AreaRange.All, int maxDetections = 100) =>
        _recall[iouIndex, IndexOfCategory(category), (int)area, IndexOfMaxDetections(maxDetections)];

    /// <summary>The category's AP@[.5:.95] in one area range with a maxDets setting (-1 without ground truth there).</summary>
    public double ApOf(string category, AreaRange area = AreaRange.All, int maxDetections = 100) =>
        MeanPrecision(null, IndexOfCategory(category), area, maxDetections);

    private double MeanPrecision(int? iouIndex, int? category, AreaRange area, int maxDetections)
    {
        var m = IndexOfMaxDetections(maxDetections);
        double sum = 0;
        var n = 0;
        for (var t = 0; t < _precision.GetLength(0); t++)
        {
            for (var k = 0; k < _precision.GetLength(2); k++)
            {
                if ((iouIndex is { } ti && ti != t) || (category is { } kk && kk != k))
                {
                    continue;
                }

                for (var r = 0; r < _precision.GetLength(1); r++)
                {
                    var p = _precision[t, r, k, (int)area, m];
                    if (p > -1)
                    {
                        sum += p;
                        n++;
                    }
                }
            }
        }

        return n == 0 ? -1 : sum / n;
    }

    private double MeanRecall(int? category, AreaRange area, int maxDetections)
    {
        var m = IndexOfMaxDetections(maxDetections);
        double sum = 0;
        var n = 0;
        for (var t = 0; t < _recall.GetLength(0); t++)
        {
            for (var k = 0; k < _recall.GetLength(1); k++)
            {
                var value = _recall[t, k, (int)area, m];
                if ((category is null || category == k) && value > -1)
                {
                    sum += value;
                    n++;
                }
            }
        }

        return n == 0 ? -1 : sum / n;
    }

    private int IndexOfCategory(string category)
    {
        for (var k = 0; k < Categories.Count; k++)
        {
            if (string.Equals(Categories[k], category, StringComparison.Ordinal))
            {
                return k;
            }
        }

        throw new KeyNotFoundException($"no category '{category}' among [{string.Join(", ", Categories)}]");
    }

    private static int IndexOfIou(double threshold)
    {
        var thresholds = CocoParameters.IouThresholds;
        for (var t = 0; t < thresholds.Count; t++)
        {
            if (Math.Abs(thresholds[t] - threshold) < 1e-9)
            {
                return t;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "not one of COCO's IoU thresholds");
    }

    private static int IndexOfMaxDetections(int maxDetections)
    {
        var m = CocoParameters.MaxDetections.ToList().IndexOf(maxDetections);
        return m >= 0 ? m : throw new ArgumentOutOfRangeException(nameof(maxDetections), maxDetections, "expected 1, 10 or 100");
    }
}

using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Whetstone.Evaluation.Scoring;

namespace Whetstone.Evaluation.Detection;

/// <summary>
/// The metrics of a detection suite, an item being one image: <c>map</c> (mAP@[.5:.95]), <c>map50</c>, <c>map75</c>,
/// <c>mapSmall</c>, <c>mapMedium</c>, <c>mapLarge</c> and <c>ar100</c>, each the COCO evaluation of the images at the
/// given indices (a bootstrap resample repeats images: each position counts as its own image). Per-class AP goes to
/// the report's details, not to the compared metrics: a resample without a class's objects has no AP for it.
/// </summary>
public static class DetectionMeasurement
{
    /// <summary>The metric names, in report order.</summary>
    public static readonly IReadOnlyList<string> MetricNames = ["map", "map50", "map75", "mapSmall", "mapMedium", "mapLarge", "ar100"];

    /// <summary>Builds the suite's measurement of <paramref name="predictions"/> against <paramref name="truth"/>.</summary>
    /// <exception cref="ArgumentException">A prediction names an image that is not in <paramref name="truth"/>.</exception>
    public static SuiteMeasurement From(string suite, IReadOnlyList<DetectionImage> truth, IReadOnlyList<DetectionImage> predictions)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predictions);
        var byImage = predictions.ToDictionary(p => p.Image, StringComparer.Ordinal);
        var full = CocoEvaluator.Evaluate(truth, predictions);
        var aligned = truth.Select(t => byImage.GetValueOrDefault(t.Image) ?? new DetectionImage(t.Image, t.Width, t.Height, [])).ToArray();

        // Every metric of a resample comes from one evaluation: computed once per index list (by reference).
        var cache = new ConditionalWeakTable<IReadOnlyList<int>, DetectionMetrics>();
        DetectionMetrics At(IReadOnlyList<int> indices) => cache.GetValue(indices, ix =>
        {
            var names = ix.Select((_, position) => "#" + position.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            return CocoEvaluator.Evaluate(
                [.. ix.Select((i, position) => truth[i] with { Image = names[position] })],
                [.. ix.Select((i, position) => aligned[i] with { Image = names[position] })]);
        });
        var metrics = new List<MetricSeries>
        {
            new("map", indices => At(indices).Map),
            new("map50", indices => At(indices).Map50),
            new("map75", indices => At(indices).Map75),
            new("mapSmall", indices => At(indices).MapOf(AreaRange.Small)),
            new("mapMedium", indices => At(indices).MapOf(AreaRange.Medium)),
            new("mapLarge", indices => At(indices).MapOf(AreaRange.Large)),
            new("ar100", indices => At(indices).Ar100),
        };
        var details = new JsonObject
        {
            ["definition"] = "COCO bounding-box evaluation: IoU 0.50:0.05:0.95, 101-point interpolated precision, area ranges small <= 32^2 <= medium <= 96^2 <= large, 100 detections per image; -1 = no ground truth",
            ["map"] = full.Map,
            ["map50"] = full.Map50,
            ["map75"] = full.Map75,
            ["areas"] = new JsonObject
            {
                ["small"] = full.MapOf(AreaRange.Small), ["medium"] = full.MapOf(AreaRange.Medium), ["large"] = full.MapOf(AreaRange.Large),
            },
            ["recall"] = new JsonObject
            {
                ["ar1"] = full.ArOf(AreaRange.All, 1), ["ar10"] = full.ArOf(AreaRange.All, 10), ["ar100"] = full.Ar100,
            },
            ["perClass"] = new JsonArray([.. full.PerCategory.Select(c => (JsonNode)new JsonObject
            {
                ["category"] = c.Category, ["groundTruth"] = c.GroundTruth, ["ap"] = c.Ap, ["ap50"] = c.Ap50, ["ap75"] = c.Ap75, ["ar100"] = c.Ar100,
            })]),
        };
        var records = truth.Select((t, i) => new JsonObject
        {
            ["id"] = t.Image, ["groundTruth"] = t.Boxes.Count, ["detections"] = aligned[i].Boxes.Count,
        }).ToArray();
        return new SuiteMeasurement(suite, "detection", truth.Count, metrics, records, details);
    }
}

using Whetstone.Evaluation.Detection;

namespace Whetstone.Evaluation.Tests.Detection;

// Every expected number below is worked out by hand in the comments, from COCO's definitions (README), not from the
// code. COCO divides precision by tp + fp + eps (eps = 2.2e-16), so "1" is 1 - 2.2e-16: tolerances are 1e-12.
public sealed class CocoEvaluatorTest
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void Single_detection_at_iou_0_58_passes_only_thresholds_0_50_and_0_55()
    {
        // Ground truth 100×100 at the origin, detection 100×58 at the origin: IoU = 5800 / 10000 = 0.58.
        // Thresholds 0.50 and 0.55 match (AP 1 each: one TP, recall 1 reached at the first detection, precision 1
        // at all 101 points); 0.60 … 0.95 do not (one FP: recall 0, precision 0 at point 0, no detection reaches
        // the other points → 0). mAP = 2 / 10 = 0.2, AP50 = 1, AP75 = 0, AR@100 = (1 + 1 + 0·8) / 10 = 0.2.
        var metrics = Evaluate(
            [Image("img", Box("cat", 0, 0, 100, 100))],
            [Image("img", Scored("cat", 0, 0, 100, 58, 0.9))]);

        Assert.Equal(0.58, CocoEvaluator.Iou(Box("cat", 0, 0, 100, 58), Box("cat", 0, 0, 100, 100)), 1e-15);
        Assert.Equal(0.2, metrics.Map, Tolerance);
        Assert.Equal(1.0, metrics.Map50, Tolerance);
        Assert.Equal(0.0, metrics.Map75, Tolerance);
        Assert.Equal(0.2, metrics.Ar100, Tolerance);
        Assert.Equal(1.0, metrics.Recall("cat", 1), Tolerance);
        Assert.Equal(0.0, metrics.Recall("cat", 2), Tolerance);
        var perClass = Assert.Single(metrics.PerCategory);
        Assert.Equal(("cat", 1, 0.2, 1.0, 0.0), (perClass.Category, perClass.GroundTruth, Math.Round(perClass.Ap, 12), Math.Round(perClass.Ap50, 12), perClass.Ap75));
    }

    [Fact]
    public void Precision_recall_curve_is_made_monotone_and_sampled_at_101_points()
    {
        // Three objects, five detections (all exact boxes or far away, so every IoU threshold agrees), by score:
        //   d1 FP, d2 TP, d3 TP, d4 FP, d5 TP
        //   tp = 0 1 2 2 3, fp = 1 1 1 2 2
        //   recall    = 0, 1/3, 2/3, 2/3, 1
        //   precision = 0, 1/2, 2/3, 2/4, 3/5
        //   monotone from the right: 2/3, 2/3, 2/3, 3/5, 3/5
        // Point r takes the precision of the first recall ≥ r: r = 0 → d1 (2/3); 0.01..0.33 → d2 (2/3);
        // 0.34..0.66 → d3 (2/3); 0.67..1 → d5 (3/5). So 67 points at 2/3 and 34 at 3/5:
        // AP = (67·2/3 + 34·3/5) / 101 = (134/3 + 102/5) / 101 = 976 / 1515 at every threshold.
        var metrics = Evaluate(
            [Image("img", Box("cat", 0, 0, 10, 10), Box("cat", 20, 0, 10, 10), Box("cat", 40, 0, 10, 10))],
            [Image(
                "img",
                Scored("cat", 200, 200, 10, 10, 0.9),
                Scored("cat", 0, 0, 10, 10, 0.8),
                Scored("cat", 20, 0, 10, 10, 0.7),
                Scored("cat", 300, 300, 10, 10, 0.6),
                Scored("cat", 40, 0, 10, 10, 0.5))]);

        var sampled = metrics.SampledPrecision("cat", 0);
        Assert.Equal(101, sampled.Count);
        for (var r = 0; r <= 66; r++)
        {
            Assert.Equal(2.0 / 3, sampled[r], Tolerance);
        }

        for (var r = 67; r <= 100; r++)
        {
            Assert.Equal(3.0 / 5, sampled[r], Tolerance);
        }

        Assert.Equal(976.0 / 1515, metrics.Map, Tolerance);
        Assert.Equal(1.0, metrics.Ar100, Tolerance);
    }

    [Theory]
    [InlineData(false, 0.5)]
    [InlineData(true, 1.0)]
    public void Equal_scores_keep_file_order(bool truePositiveFirst, double expectedAp)
    {
        // One object; a hit and a miss with the same score. Miss first: recall 0, 1 and precision 0, 1/2 → monotone
        // 1/2, 1/2 → AP 0.5. Hit first: recall 1, 1 and precision 1, 1/2 → monotone 1, 1/2; every point takes the
        // first detection → AP 1.
        var hit = Scored("cat", 0, 0, 10, 10, 0.5);
        var miss = Scored("cat", 50, 50, 10, 10, 0.5);
        var metrics = Evaluate(
            [Image("img", Box("cat", 0, 0, 10, 10))],
            [Image("img", truePositiveFirst ? [hit, miss] : [miss, hit])]);

        Assert.Equal(expectedAp, metrics.Map, Tolerance);
    }

    [Fact]
    public void Crowd_region_absorbs_duplicates_and_is_never_a_miss()
    {
        // A regular object G (10×10) and a crowd region C (50×50 at 100,100). Two detections inside C score above
        // the one on G. Against a crowd region IoU = intersection / detection area = 100 / 100 = 1, so both match
        // C (a crowd matches many times) and are ignored; C is not counted as an object. Counted: d(G) TP only:
        // recall 1 with precision 1 → AP 1 at every threshold, AR 1. Were C a regular object, its IoU with each
        // 10×10 detection would be 100 / 2500 = 0.04: two false positives ranked first and a missed object.
        var metrics = Evaluate(
            [Image("img", Box("person", 0, 0, 10, 10), Box("person", 100, 100, 50, 50, crowd: true))],
            [Image(
                "img",
                Scored("person", 100, 100, 10, 10, 0.95),
                Scored("person", 120, 120, 10, 10, 0.9),
                Scored("person", 0, 0, 10, 10, 0.8))]);

        Assert.Equal(1.0, CocoEvaluator.Iou(Box("person", 120, 120, 10, 10), Box("person", 100, 100, 50, 50, crowd: true)), 1e-15);
        Assert.Equal(1.0, metrics.Map, Tolerance);
        Assert.Equal(1.0, metrics.Ar100, Tolerance);
        Assert.Equal(1, metrics.PerCategory[0].GroundTruth);
    }

    [Fact]
    public void A_detection_keeps_its_regular_match_over_a_crowd_region_of_higher_iou()
    {
        // Regular object G 10×10 inside a crowd region C 100×100, both at the origin; detection 10×8.7 there.
        // IoU with G = 87/100 = 0.87; with C = 87/87 = 1 (intersection / detection area). Regular ground truth is
        // tried first, and once the detection holds a regular match it stops at the ignored ones: thresholds
        // 0.50..0.85 (8) → TP on G → AP 1. At 0.90 and 0.95 G is out of reach, the detection falls into C and is
        // ignored, G is missed → AP 0. mAP = 8/10 = 0.8 (taking C for its higher IoU would give 0).
        var metrics = Evaluate(
            [Image("img", Box("person", 0, 0, 10, 10), Box("person", 0, 0, 100, 100, crowd: true))],
            [Image("img", Scored("person", 0, 0, 10, 8.7, 0.9))]);

        Assert.Equal(0.8, metrics.Map, Tolerance);
        Assert.Equal(0.0, metrics.Recall("person", 8), Tolerance);
    }

    [Fact]
    public void Area_ranges_ignore_objects_outside_and_unmatched_detections_outside()
    {
        // Objects: S 20×20 (area 400, small) and L 100×100 (10000, large). Detections: on L (0.9, exact) and a
        // stray 10×10 box (area 100, small) at 0.8.
        // all:    2 objects; TP then FP → recall .5, .5, precision 1, 1/2 → monotone 1, 1/2; points 0..0.50 → 1,
        //         0.51..1 → 0: AP = 51/101.
        // small:  L ignored, so the detection on L matches an ignored object and is ignored; the stray box is small
        //         → FP. 1 object: recall 0, precision 0 → AP 0.
        // large:  S ignored; detection on L TP; the stray box matches nothing and is outside → ignored: AP 1.
        // medium: no object in range → -1 (excluded).
        var metrics = Evaluate(
            [Image("img", Box("car", 0, 0, 20, 20), Box("car", 100, 100, 100, 100))],
            [Image("img", Scored("car", 100, 100, 100, 100, 0.9), Scored("car", 300, 300, 10, 10, 0.8))]);

        Assert.Equal(51.0 / 101, metrics.Map, Tolerance);
        Assert.Equal(0.0, metrics.MapOf(AreaRange.Small), Tolerance);
        Assert.Equal(1.0, metrics.MapOf(AreaRange.Large), Tolerance);
        Assert.Equal(-1.0, metrics.MapOf(AreaRange.Medium));
        Assert.Equal(0.5, metrics.ArOf(AreaRange.All, 100), Tolerance);
        Assert.Equal(1.0, metrics.ArOf(AreaRange.Large, 100), Tolerance);
    }

    [Fact]
    public void Max_detections_keep_only_the_best_scored_per_image()
    {
        // Two objects, both found exactly (0.9, 0.8). maxDets 1 keeps the first: recall 1/2 → AR@1 = 0.5 and AP
        // (points 0..0.50 at precision 1) = 51/101; maxDets 10 and 100 keep both → AR 1, AP 1.
        var twoFound = Evaluate(
            [Image("img", Box("cat", 0, 0, 10, 10), Box("cat", 20, 0, 10, 10))],
            [Image("img", Scored("cat", 0, 0, 10, 10, 0.9), Scored("cat", 20, 0, 10, 10, 0.8))]);
        Assert.Equal(0.5, twoFound.ArOf(AreaRange.All, 1), Tolerance);
        Assert.Equal(51.0 / 101, twoFound.ApOf("cat", AreaRange.All, 1), Tolerance);
        Assert.Equal(1.0, twoFound.ArOf(AreaRange.All, 10), Tolerance);
        Assert.Equal(1.0, twoFound.Map, Tolerance);

        // 100 stray boxes score above the one exact hit: the hit is the 101st and is cut for mAP (maxDets 100):
        // 100 FPs → AP 0 and AR@100 0.
        var strays = Enumerable.Range(0, 100).Select(i => Scored("cat", 1000 + (20 * i), 1000, 10, 10, 0.99 - (i * 0.001)));
        var cut = Evaluate(
            [Image("img", Box("cat", 0, 0, 10, 10))],
            [Image("img", [.. strays, Scored("cat", 0, 0, 10, 10, 0.5)])]);
        Assert.Equal(0.0, cut.Map, Tolerance);
        Assert.Equal(0.0, cut.Ar100, Tolerance);
    }

    [Fact]
    public void Category_without_ground_truth_is_excluded_from_the_mean()
    {
        // "cat" found exactly (AP 1); "dog" only predicted, no object: AP -1, not counted → mAP 1, not 0.5.
        var metrics = Evaluate(
            [Image("img", Box("cat", 0, 0, 10, 10))],
            [Image("img", Scored("cat", 0, 0, 10, 10, 0.9), Scored("dog", 50, 50, 10, 10, 0.8))]);

        Assert.Equal(1.0, metrics.Map, Tolerance);
        Assert.Equal(-1.0, metrics.PerCategory.Single(c => c.Category == "dog").Ap);
        Assert.Equal(0, metrics.PerCategory.Single(c => c.Category == "dog").GroundTruth);
    }

    [Fact]
    public void Each_detection_takes_the_free_object_of_highest_iou()
    {
        // Objects G1 at x 0 and G2 at x 4 (10×10). d1 (0.9) at x 3: IoU G1 = 70/130 = 0.538, G2 = 90/110 = 0.818
        // → takes G2. d2 (0.8) at x 0 = G1 → IoU 1. Thresholds 0.50..0.80 (7): both TP → AP 1. (Had d1 taken G1,
        // d2 would be left with G2 at 60/140 = 0.43, a miss.) Thresholds 0.85..0.95 (3): d1 FP, d2 TP → recall 0, 1/2
        // and precision 0, 1/2 → monotone 1/2, 1/2; points 0..0.50 → 1/2: AP = 25.5/101.
        // mAP = (7 + 3·25.5/101) / 10.
        var metrics = Evaluate(
            [Image("img", Box("cat", 0, 0, 10, 10), Box("cat", 4, 0, 10, 10))],
            [Image("img", Scored("cat", 3, 0, 10, 10, 0.9), Scored("cat", 0, 0, 10, 10, 0.8))]);

        Assert.Equal(1.0, metrics.Map50, Tolerance);
        Assert.Equal((7 + (3 * 25.5 / 101)) / 10, metrics.Map, Tolerance);
    }

    [Fact]
    public void Iou_has_no_extra_pixel_and_touching_boxes_do_not_overlap()
    {
        // [0,0,10,10] and [5,0,10,10]: intersection 5·10 = 50, union 100 + 100 - 50 = 150 → 1/3 (with COCO's
        // legacy +1 pixel it would be 66/176). Boxes sharing only the edge x = 10: 0.
        Assert.Equal(1.0 / 3, CocoEvaluator.Iou(Box("a", 5, 0, 10, 10), Box("a", 0, 0, 10, 10)), 1e-15);
        Assert.Equal(0.0, CocoEvaluator.Iou(Box("a", 10, 0, 10, 10), Box("a", 0, 0, 10, 10)));
    }

    [Fact]
    public void Ties_across_images_follow_ground_truth_image_order()
    {
        // Image a: a miss at 0.5; image b: a hit at 0.5 (one object, in b). Images in file order a, b: miss first →
        // AP 0.5 (as Equal_scores_keep_file_order); b, a → AP 1.
        DetectionImage[] predictions = [Image("a", Scored("cat", 50, 50, 10, 10, 0.5)), Image("b", Scored("cat", 0, 0, 10, 10, 0.5))];
        Assert.Equal(0.5, Evaluate([Image("a"), Image("b", Box("cat", 0, 0, 10, 10))], predictions).Map, Tolerance);
        Assert.Equal(1.0, Evaluate([Image("b", Box("cat", 0, 0, 10, 10)), Image("a")], predictions).Map, Tolerance);
    }

    [Fact]
    public void Prediction_for_an_unknown_image_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Evaluate([Image("a")], [Image("zzz", Scored("cat", 0, 0, 1, 1, 0.5))]));
        Assert.Contains("'zzz'", error.Message, StringComparison.Ordinal);
    }

    private static DetectionMetrics Evaluate(DetectionImage[] truth, DetectionImage[] predictions) => CocoEvaluator.Evaluate(truth, predictions);

    private static DetectionImage Image(string id, params DetectionBox[] boxes) => new(id, 2000, 2000, boxes);

    private static DetectionBox Box(string category, double x, double y, double w, double h, bool crowd = false) => new(category, x, y, w, h, crowd);

    private static DetectionBox Scored(string category, double x, double y, double w, double h, double score) => new(category, x, y, w, h, Score: score);
}

namespace Whetstone.Evaluation.Detection;

/// <summary>
/// COCO-style bounding-box evaluation with the reference evaluation's definitions (evaluateImg, then accumulate,
/// then summarize): per image and category, detections sorted by score (stable) and cut to 100; each takes the
/// unmatched ground truth of highest IoU at or above the threshold (ties to the later one, regular ground truth
/// before ignored), crowd ground truth matchable many times and never a miss; ground truth outside the area range
/// ignored, detections outside it that match nothing ignored; precision made monotone from the right and sampled at
/// 101 recall points (0 where the recall is never reached); categories without ground truth excluded from means.
/// </summary>
public static class CocoEvaluator
{
    private static readonly double Eps = Math.BitIncrement(1.0) - 1.0;

    /// <summary>Evaluates <paramref name="predictions"/> against <paramref name="groundTruth"/>.</summary>
    /// <param name="groundTruth">Images with their objects; image order breaks score ties across images.</param>
    /// <param name="predictions">Scored boxes per image; an image without a record has no detections.</param>
    /// <exception cref="ArgumentException">A prediction names an image that has no ground-truth record, or an image is listed twice.</exception>
    public static DetectionMetrics Evaluate(IReadOnlyList<DetectionImage> groundTruth, IReadOnlyList<DetectionImage> predictions)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        ArgumentNullException.ThrowIfNull(predictions);
        var imageIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var image in groundTruth)
        {
            if (!imageIndex.TryAdd(image.Image, imageIndex.Count))
            {
                throw new ArgumentException($"image '{image.Image}' has two ground-truth records", nameof(groundTruth));
            }
        }

        var predicted = new DetectionImage?[groundTruth.Count];
        foreach (var image in predictions)
        {
            if (!imageIndex.TryGetValue(image.Image, out var i))
            {
                throw new ArgumentException($"predictions name image '{image.Image}', which has no ground-truth record", nameof(predictions));
            }

            if (predicted[i] is not null)
            {
                throw new ArgumentException($"image '{image.Image}' has two prediction records", nameof(predictions));
            }

            predicted[i] = image;
        }

        var categories = groundTruth.SelectMany(g => g.Boxes).Select(b => b.Category)
            .Concat(predictions.SelectMany(p => p.Boxes).Select(b => b.Category))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var iouCount = CocoParameters.IouThresholds.Count;
        var recallCount = CocoParameters.RecallThresholds.Count;
        var areas = CocoParameters.AreaRanges;
        var maxDets = CocoParameters.MaxDetections;
        var precision = new double[iouCount, recallCount, categories.Length, areas.Count, maxDets.Count];
        var recall = new double[iouCount, categories.Length, areas.Count, maxDets.Count];
        var groundTruthCounts = new int[categories.Length];
        for (var k = 0; k < categories.Length; k++)
        {
            var category = categories[k];
            var perImage = groundTruth.Select((image, i) => (
                    Truth: image.Boxes.Where(b => b.Category == category).ToArray(),
                    Detections: predicted[i]?.Boxes.Where(b => b.Category == category).ToArray() ?? []))
                .ToArray();
            groundTruthCounts[k] = perImage.Sum(p => p.Truth.Count(b => !b.IsCrowd));
            for (var a = 0; a < areas.Count; a++)
            {
                var evaluations = perImage
                    .Select(p => EvaluateImage(p.Truth, p.Detections, CocoParameters.Bounds(areas[a]), maxDets[^1]))
                    .Where(e => e is not null).Select(e => e!).ToArray();
                for (var m = 0; m < maxDets.Count; m++)
                {
                    Accumulate(evaluations, maxDets[m], out var sampled, out var reached);
                    for (var t = 0; t < iouCount; t++)
                    {
                        recall[t, k, a, m] = reached[t];
                        for (var r = 0; r < recallCount; r++)
                        {
                            precision[t, r, k, a, m] = sampled[t, r];
                        }
                    }
                }
            }
        }

        return new DetectionMetrics(categories, groundTruthCounts, precision, recall);
    }

    /// <summary>
    /// COCO's IoU of two <c>[x, y, w, h]</c> boxes without the +1 pixel; against a crowd region the intersection is
    /// divided by the detection's area instead of the union.
    /// </summary>
    public static double Iou(DetectionBox detection, DetectionBox truth)
    {
        ArgumentNullException.ThrowIfNull(detection);
        ArgumentNullException.ThrowIfNull(truth);
        var w = Math.Min(detection.X + detection.Width, truth.X + truth.Width) - Math.Max(detection.X, truth.X);
        if (w <= 0)
        {
            return 0;
        }

        var h = Math.Min(detection.Y + detection.Height, truth.Y + truth.Height) - Math.Max(detection.Y, truth.Y);
        if (h <= 0)
        {
            return 0;
        }

        var intersection = w * h;
        var union = truth.IsCrowd ? detection.Area : detection.Area + truth.Area - intersection;
        return intersection / union;
    }

    private static ImageEvaluation? EvaluateImage(DetectionBox[] truth, DetectionBox[] detections, (double Low, double High) bounds, int maxDetections)
    {
        if (truth.Length == 0 && detections.Length == 0)
        {
            return null;
        }

        bool Outside(DetectionBox box) => box.Area < bounds.Low || box.Area > bounds.High;

        // Regular ground truth first, then the ignored (crowd or outside the range), each in file order.
        var gt = truth.OrderBy(g => g.IsCrowd || Outside(g) ? 1 : 0).ToArray();
        var gtIgnore = gt.Select(g => g.IsCrowd || Outside(g)).ToArray();
        var dt = detections.OrderByDescending(d => d.Score).Take(maxDetections).ToArray();
        var ious = new double[dt.Length, gt.Length];
        for (var d = 0; d < dt.Length; d++)
        {
            for (var g = 0; g < gt.Length; g++)
            {
                ious[d, g] = Iou(dt[d], gt[g]);
            }
        }

        var thresholds = CocoParameters.IouThresholds;
        var matched = new bool[thresholds.Count, dt.Length];
        var ignored = new bool[thresholds.Count, dt.Length];
        for (var t = 0; t < thresholds.Count; t++)
        {
            var gtTaken = new bool[gt.Length];
            for (var d = 0; d < dt.Length; d++)
            {
                var best = Math.Min(thresholds[t], 1 - 1e-10);
                var m = -1;
                for (var g = 0; g < gt.Length; g++)
                {
                    if (gtTaken[g] && !gt[g].IsCrowd)
                    {
                        continue;
                    }

                    if (m > -1 && !gtIgnore[m] && gtIgnore[g])
                    {
                        break;
                    }

                    if (ious[d, g] < best)
                    {
                        continue;
                    }

                    best = ious[d, g];
                    m = g;
                }

                if (m == -1)
                {
                    ignored[t, d] = Outside(dt[d]);
                    continue;
                }

                matched[t, d] = true;
                ignored[t, d] = gtIgnore[m];
                gtTaken[m] = true;
            }
        }

        return new ImageEvaluation(dt.Select(d => d.Score).ToArray(), matched, ignored, gtIgnore.Count(i => !i));
    }

    private static void Accumulate(ImageEvaluation[] evaluations, int maxDetections, out double[,] sampled, out double[] reached)
    {
        var thresholds = CocoParameters.IouThresholds;
        var recallPoints = CocoParameters.RecallThresholds;
        sampled = new double[thresholds.Count, recallPoints.Count];
        reached = new double[thresholds.Count];
        var regularTruth = evaluations.Sum(e => e.RegularTruth);
        if (regularTruth == 0)
        {
            for (var t = 0; t < thresholds.Count; t++)
            {
                reached[t] = -1;
                for (var r = 0; r < recallPoints.Count; r++)
                {
                    sampled[t, r] = -1;
                }
            }

            return;
        }

        // Every image's first maxDetections detections, in image order, then stably by descending score.
        var order = evaluations
            .SelectMany((e, i) => Enumerable.Range(0, Math.Min(maxDetections, e.Scores.Length)).Select(d => (Image: i, Detection: d)))
            .OrderByDescending(p => evaluations[p.Image].Scores[p.Detection]).ToArray();
        var count = order.Length;
        for (var t = 0; t < thresholds.Count; t++)
        {
            var rc = new double[count];
            var pr = new double[count];
            double tp = 0, fp = 0;
            for (var i = 0; i < count; i++)
            {
                var e = evaluations[order[i].Image];
                var d = order[i].Detection;
                if (!e.Ignored[t, d])
                {
                    if (e.Matched[t, d])
                    {
                        tp++;
                    }
                    else
                    {
                        fp++;
                    }
                }

                rc[i] = tp / regularTruth;
                pr[i] = tp / (fp + tp + Eps);
            }

            reached[t] = count > 0 ? rc[^1] : 0;
            for (var i = count - 1; i > 0; i--)
            {
                if (pr[i] > pr[i - 1])
                {
                    pr[i - 1] = pr[i];
                }
            }

            var index = 0;
            for (var r = 0; r < recallPoints.Count; r++)
            {
                // numpy searchsorted(side='left'): the first recall at or above the point.
                while (index < count && rc[index] < recallPoints[r])
                {
                    index++;
                }

                sampled[t, r] = index < count ? pr[index] : 0;
            }
        }
    }

    private sealed record ImageEvaluation(double[] Scores, bool[,] Matched, bool[,] Ignored, int RegularTruth);
}

using Whetstone.Api;
using Whetstone.Datasets;
using Whetstone.Evaluation.Detection;
using Whetstone.Evaluation.Scoring;
using Whetstone.Worker.Jobs;

namespace Whetstone.Worker.Evaluation;

/// <summary>
/// A detection suite's inputs: the suite's ground truth (dataset format <c>detection</c>) and the predictions file
/// convention: a model folder holding <c>predictions.jsonl</c>, a detector's outputs on the suite's images in the
/// same format with a <c>score</c> on every box, produced outside Whetstone. ONNX detectors are not run yet.
/// </summary>
internal static class DetectionPredictions
{
    /// <summary>The file a model folder holds its detections in.</summary>
    public const string FileName = "predictions.jsonl";

    /// <summary>The suite's ground truth; a bad record fails DatasetInvalid naming the field, file, line and field.</summary>
    public static IReadOnlyList<DetectionImage> ReadTruth(string path, string field, int? maxSamples)
    {
        try
        {
            return DetectionFile.Read(path, predictions: false, maxSamples);
        }
        catch (DatasetFormatException error)
        {
            throw new JobFailureException(ConditionReasons.DatasetInvalid, $"{field}: {error.Message}", error);
        }
    }

    /// <summary>Scores <paramref name="directory"/>'s predictions against <paramref name="truth"/>.</summary>
    /// <exception cref="JobFailureException">ModelInvalid: no predictions file, a bad record, or an image not in the suite.</exception>
    /// <param name="suite">Suite name, for messages.</param>
    /// <param name="truth">The suite's images.</param>
    /// <param name="directory">The model folder.</param>
    /// <param name="role">model or baseline, for messages.</param>
    /// <param name="truncated">maxSamples cut the ground truth: predictions for the images left out are dropped.</param>
    public static SuiteMeasurement Measure(string suite, IReadOnlyList<DetectionImage> truth, string directory, string role, bool truncated)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            throw new JobFailureException(ConditionReasons.ModelInvalid,
                $"suite {suite}: the {role} folder {directory} has no {FileName}; a detection suite scores a detector's predictions file (its outputs on the suite's images, produced outside Whetstone), and ONNX detectors are not run yet");
        }

        IReadOnlyList<DetectionImage> predictions;
        try
        {
            predictions = DetectionFile.Read(path, predictions: true);
        }
        catch (DatasetFormatException error)
        {
            throw new JobFailureException(ConditionReasons.ModelInvalid, $"suite {suite}: {role} predictions {error.Message}", error);
        }

        var known = truth.Select(t => t.Image).ToHashSet(StringComparer.Ordinal);

        if (!truncated && predictions.FirstOrDefault(p => !known.Contains(p.Image)) is { } stray)
        {
            throw new JobFailureException(ConditionReasons.ModelInvalid,
                $"suite {suite}: the {role}'s {FileName} has image '{stray.Image}', which is not in the suite's ground truth");
        }

        // maxSamples keeps the first images of the ground truth; predictions for the others are left out.
        var kept = predictions.Where(p => known.Contains(p.Image)).ToArray();
        if (kept.Length == 0 && predictions.Count > 0)
        {
            throw new JobFailureException(ConditionReasons.ModelInvalid,
                $"suite {suite}: none of the {predictions.Count} images in the {role}'s {FileName} is in the suite's ground truth (first: '{predictions[0].Image}')");
        }

        return DetectionMeasurement.From(suite, truth, kept);
    }
}

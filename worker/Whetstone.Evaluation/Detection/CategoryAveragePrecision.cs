namespace Whetstone.Evaluation.Detection;

/// <summary>One category's results (area all, 100 detections per image); -1 where it has no ground truth.</summary>
/// <param name="Category">Class name.</param>
/// <param name="GroundTruth">Non-crowd ground-truth objects of the class.</param>
/// <param name="Ap">AP averaged over IoU 0.50:0.05:0.95.</param>
/// <param name="Ap50">AP at IoU 0.5.</param>
/// <param name="Ap75">AP at IoU 0.75.</param>
/// <param name="Ar100">Recall averaged over the IoU thresholds.</param>
public sealed record CategoryAveragePrecision(string Category, int GroundTruth, double Ap, double Ap50, double Ap75, double Ar100);

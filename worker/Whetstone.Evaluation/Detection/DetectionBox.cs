namespace Whetstone.Evaluation.Detection;

/// <summary>
/// One box of a detection record: a ground-truth object, or a detector's output when <see cref="Score"/> is set.
/// The box is <c>[x, y, width, height]</c> in pixels, x and y of the top-left corner, as COCO writes it.
/// </summary>
/// <param name="Category">Class name.</param>
/// <param name="X">Left edge in pixels.</param>
/// <param name="Y">Top edge in pixels.</param>
/// <param name="Width">Width in pixels (not negative).</param>
/// <param name="Height">Height in pixels (not negative).</param>
/// <param name="IsCrowd">Ground truth only: a crowd region (COCO <c>iscrowd</c>), matchable many times, never a miss.</param>
/// <param name="Score">Predictions only: the detector's confidence; higher ranks first.</param>
public sealed record DetectionBox(string Category, double X, double Y, double Width, double Height, bool IsCrowd = false, double Score = 0)
{
    /// <summary>Width × height, the area COCO's bounding-box evaluation uses for area ranges.</summary>
    public double Area => Width * Height;
}

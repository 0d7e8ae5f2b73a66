namespace Whetstone.Evaluation.Detection;

/// <summary>One image of a detection data set (one JSONL record): its id, size in pixels and boxes.</summary>
/// <param name="Image">Image id or file name; unique in a file.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Boxes">Ground-truth objects, or a detector's scored boxes.</param>
public sealed record DetectionImage(string Image, int Width, int Height, IReadOnlyList<DetectionBox> Boxes);

namespace Whetstone.ML.Training;

/// <summary>Where <see cref="PackingCollator"/> put one example: its row, its first column and its kept length.</summary>
/// <param name="Example">Index of the example in the collated list.</param>
/// <param name="Row">Row of the packed batch.</param>
/// <param name="Offset">Column of the example's first token in that row.</param>
/// <param name="Length">Tokens kept (after truncation to the maximum sequence length).</param>
public readonly record struct PackedPlacement(int Example, int Row, int Offset, int Length);

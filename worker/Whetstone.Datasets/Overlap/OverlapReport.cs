namespace Whetstone.Datasets.Overlap;

/// <summary>How much of a test set also appears (nearly) in a training set (api.md <c>status.contamination</c>).</summary>
/// <param name="Checked">Test records checked.</param>
/// <param name="Overlapping">Test records with a near duplicate in the training set.</param>
/// <param name="Overlap">Overlapping / Checked (0 when nothing was checked).</param>
public sealed record OverlapReport(int Checked, int Overlapping, double Overlap);

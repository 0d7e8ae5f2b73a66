namespace Whetstone.Evaluation.Contamination;

/// <summary>What the contamination check found.</summary>
/// <param name="Checked">Test records checked.</param>
/// <param name="ContaminatedIndices">Test records found in the training data, ascending.</param>
/// <param name="ExactDuplicates">How many of them are exact duplicates.</param>
/// <param name="IgnoredNgrams">Distinct training n-grams ignored as boilerplate.</param>
/// <param name="Examples">The first offending records with their matching n-gram.</param>
public sealed record ContaminationFinding(int Checked, IReadOnlyList<int> ContaminatedIndices, int ExactDuplicates, int IgnoredNgrams, IReadOnlyList<ContaminatedRecord> Examples)
{
    /// <summary>Share of checked records that are contaminated (0 when none were checked).</summary>
    public double Overlap => Checked == 0 ? 0 : (double)ContaminatedIndices.Count / Checked;
}

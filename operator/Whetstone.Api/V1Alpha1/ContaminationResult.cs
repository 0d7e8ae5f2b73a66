namespace Whetstone.Api.V1Alpha1;

/// <summary>What the contamination check found.</summary>
public sealed record ContaminationResult
{
    /// <summary>Fraction of checked test records also found in the training data.</summary>
    public double? Overlap { get; set; }

    /// <summary>Test records checked.</summary>
    public long? Checked { get; set; }

    /// <summary>Test records found in the training data.</summary>
    public long? Overlapping { get; set; }

    /// <summary>How many of the overlapping records are exact duplicates of a training record.</summary>
    public long? ExactDuplicates { get; set; }

    /// <summary>The first offending records with their matching n-gram, in words.</summary>
    public IList<string>? Examples { get; set; }
}

using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>Refuse a score inflated by test records that were seen in training.</summary>
public sealed record ContaminationCheck
{
    /// <summary>The training data to compare with (with a fineTuneJobRef and no split: its train split).</summary>
    [Required]
    public DatasetSource TrainingDataset { get; set; } = new();

    /// <summary>Largest allowed fraction of test records also found in the training data; above it the run fails (Contaminated).</summary>
    [Range(Minimum = 0, Maximum = 1)]
    [DefaultValue(0.01)]
    public double? MaxOverlap { get; set; }

    /// <summary>Words per n-gram compared over content fields.</summary>
    [Range(Minimum = 1, Maximum = 64)]
    [DefaultValue(13)]
    public int? NgramSize { get; set; }

    /// <summary>N-grams found in more than this share of training records are template boilerplate and ignored.</summary>
    [Range(Minimum = 0, Maximum = 1)]
    [DefaultValue(0.05)]
    public double? MaxDocumentShare { get; set; }
}

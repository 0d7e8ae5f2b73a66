using Whetstone.Datasets.Preprocessing;
using Whetstone.Datasets.Splitting;

namespace Whetstone.Datasets;

/// <summary>Everything preparation needs besides the input (api.md <c>spec.dataset</c> without the URI).</summary>
/// <param name="Format">Record format of the input.</param>
public sealed record DatasetPreparationOptions(DatasetFormat Format)
{
    /// <summary>Cleaning steps.</summary>
    public PreprocessingOptions Preprocessing { get; init; } = new();

    /// <summary>Split fractions and seed.</summary>
    public SplitOptions Split { get; init; } = new();

    /// <summary>File type of the input; null means from the extension (<c>.csv</c> or JSONL).</summary>
    public DatasetFileType? FileType { get; init; }

    /// <summary>Validates all options; throws <see cref="DatasetOptionsException"/> naming the field.</summary>
    public void Validate()
    {
        Preprocessing.Validate();
        Split.Validate();
    }
}

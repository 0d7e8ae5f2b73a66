using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Datasets;
using Whetstone.Datasets.Preprocessing;
using Whetstone.Datasets.Splitting;
using Whetstone.Worker.Jobs;

namespace Whetstone.Worker.FineTuning;

/// <summary>
/// The mapping from <c>spec.dataset</c> to the dataset preparer's options: every omitted field takes its documented
/// default. Only a <c>csv</c> dataset reads the file (its header says which record format it holds).
/// </summary>
internal static class FineTuneDatasetOptions
{
    /// <summary>The preparation options for the dataset file at <paramref name="path"/>; a bad value fails <c>DatasetInvalid</c>.</summary>
    public static DatasetPreparationOptions Calculate(FineTuneDataset dataset, string path)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        try
        {
            DatasetFileType? fileType = null;
            DatasetFormat format;
            if (string.Equals(dataset.Format, DatasetFormats.Csv, StringComparison.Ordinal))
            {
                format = DatasetReader.InferCsvFormat(path);
                fileType = DatasetFileType.Csv;
            }
            else
            {
                format = DatasetFormatNames.Parse(dataset.Format);
            }

            var pre = dataset.Preprocessing;
            var split = dataset.Split;
            return new DatasetPreparationOptions(format)
            {
                FileType = fileType,
                Preprocessing = new PreprocessingOptions
                {
                    DropEmpty = pre?.DropEmpty ?? true,
                    NormalizeWhitespace = pre?.NormalizeWhitespace ?? true,
                    Lowercase = pre?.Lowercase ?? false,
                    Deduplicate = DeduplicationModeNames.Parse(pre?.Deduplicate ?? "exact"),
                    RedactPii = [.. (pre?.RedactPII ?? []).Select(kind => PiiKindNames.Parse(kind == "creditCard" ? "bankCard" : kind))],
                    BlockedTerms = [.. pre?.BlockedTerms ?? []],
                },
                Split = new SplitOptions
                {
                    Train = split?.Train ?? 0.8,
                    Validation = split?.Validation ?? 0.1,
                    Test = split?.Test ?? 0.1,
                    Seed = split?.Seed ?? 42,
                },
            };
        }
        catch (Exception error) when (error is DatasetOptionsException or DatasetFormatException)
        {
            throw new JobFailureException(ConditionReasons.DatasetInvalid, error.Message, error);
        }
    }
}

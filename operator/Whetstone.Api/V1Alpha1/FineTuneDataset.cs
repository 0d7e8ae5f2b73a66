using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>The raw dataset a FineTuneJob cleans, versions by digest and splits into train / validation / test.</summary>
public sealed record FineTuneDataset
{
    /// <summary>Location of the raw dataset file: <c>s3://bucket/key</c>, or <c>file:///path</c> in the embedded mode.</summary>
    [Required]
    [Length(Max = 2048)]
    [Pattern(Patterns.ArtifactUri)]
    public string Uri { get; set; } = "";

    /// <summary>Record format: chat, instruction, text, classification, multipleChoice, detection or csv.</summary>
    [Required]
    [Enum(DatasetFormats.Chat, DatasetFormats.Instruction, DatasetFormats.Text, DatasetFormats.Classification,
        DatasetFormats.MultipleChoice, DatasetFormats.Detection, DatasetFormats.Csv)]
    public string Format { get; set; } = "";

    /// <summary>Optional pin (<c>sha256:…</c>) of the raw file's content; a mismatch fails the job with DigestMismatch.</summary>
    [Pattern(Patterns.Digest)]
    public string? Digest { get; set; }

    /// <summary>Cleaning applied before the split.</summary>
    public DatasetPreprocessing? Preprocessing { get; set; }

    /// <summary>How the cleaned records are split; the fractions must sum to 1.</summary>
    public DatasetSplit? Split { get; set; }
}

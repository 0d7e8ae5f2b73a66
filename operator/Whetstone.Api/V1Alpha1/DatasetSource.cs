using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>
/// Where a dataset comes from: a URI, or one split of the cleaned dataset of a Succeeded FineTuneJob.
/// </summary>
[CelRule("(has(self.uri) ? 1 : 0) + (has(self.fineTuneJobRef) ? 1 : 0) == 1",
    Message = "exactly one of uri or fineTuneJobRef must be set", Order = 0)]
[CelRule("!has(self.split) || has(self.fineTuneJobRef)",
    Message = "split is only allowed with fineTuneJobRef", FieldPath = ".split", Order = 1)]
public sealed record DatasetSource
{
    /// <summary>Location of the dataset file: <c>s3://bucket/key</c>, or <c>file:///path</c> in the embedded mode.</summary>
    [Length(Max = 2048)]
    [Pattern(Patterns.ArtifactUri)]
    public string? Uri { get; set; }

    /// <summary>Use a split of the versioned dataset this FineTuneJob cleaned and split (it must have Succeeded).</summary>
    public LocalObjectReference? FineTuneJobRef { get; set; }

    /// <summary>Which split of the referenced FineTuneJob's dataset: train, validation or test (default test, and train for a contamination check).</summary>
    [Enum(DatasetSplits.Train, DatasetSplits.Validation, DatasetSplits.Test)]
    public string? Split { get; set; }

    /// <summary>Record format: chat, instruction, text, classification, multipleChoice, detection or csv. Omitted: inferred from the consumer.</summary>
    [Enum(DatasetFormats.Chat, DatasetFormats.Instruction, DatasetFormats.Text, DatasetFormats.Classification,
        DatasetFormats.MultipleChoice, DatasetFormats.Detection, DatasetFormats.Csv)]
    public string? Format { get; set; }

    /// <summary>Optional pin (<c>sha256:…</c>) of the file's content; a mismatch fails the job with DigestMismatch.</summary>
    [Pattern(Patterns.Digest)]
    public string? Digest { get; set; }
}

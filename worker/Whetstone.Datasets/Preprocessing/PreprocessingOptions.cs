namespace Whetstone.Datasets.Preprocessing;

/// <summary>The cleaning steps, mirroring api.md <c>spec.dataset.preprocessing</c>.</summary>
public sealed record PreprocessingOptions
{
    /// <summary>Drop records whose needed fields are blank (default true).</summary>
    public bool DropEmpty { get; init; } = true;

    /// <summary>Apply Unicode NFKC and collapse whitespace (default true).</summary>
    public bool NormalizeWhitespace { get; init; } = true;

    /// <summary>Lower-case the free text (default false).</summary>
    public bool Lowercase { get; init; }

    /// <summary>Duplicate removal (default exact).</summary>
    public DeduplicationMode Deduplicate { get; init; } = DeduplicationMode.Exact;

    /// <summary>Kinds of personal data to replace by placeholders (default none).</summary>
    public IReadOnlyList<PiiKind> RedactPii { get; init; } = [];

    /// <summary>Records containing any of these terms (case-insensitive, after NFKC) are dropped.</summary>
    public IReadOnlyList<string> BlockedTerms { get; init; } = [];

    /// <summary>Settings for <see cref="DeduplicationMode.Near"/>.</summary>
    public NearDuplicateOptions NearDuplicates { get; init; } = new();

    internal void Validate()
    {
        for (var i = 0; i < BlockedTerms.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(BlockedTerms[i]))
            {
                throw new DatasetOptionsException($"spec.dataset.preprocessing.blockedTerms[{i}]", "a blocked term must not be blank");
            }
        }

        NearDuplicates.Validate();
    }
}

using Whetstone.Datasets.Preprocessing;
using Whetstone.Datasets.Records;

namespace Whetstone.Datasets.Generation;

/// <summary>
/// Generates a realistic customer-support dataset for the fictional shop in <see cref="SupportCatalog"/>: chat
/// conversations about orders, returns, refunds, shipping, accounts and payments, and multiple-choice questions
/// about the same facts. The output depends only on the seed and the count. Some records are deliberately dirty
/// (blank, exact and near duplicates, personal data, blocked terms) so preparation has work to do; what was
/// injected is reported in <see cref="SupportDatasetStats"/>. Clean records are kept pairwise below the
/// near-duplicate threshold, so the expected counts are exact.
/// </summary>
public static class SupportDatasetGenerator
{
    /// <summary>The term the dirty records use and that preparation should block.</summary>
    public static IReadOnlyList<string> BlockedTerms { get; } = ["password"];

    /// <summary>Smallest supported count.</summary>
    public const int MinimumCount = 20;

    /// <summary>Largest supported count (beyond it the topics run out of distinct conversations).</summary>
    public const int MaximumCount = 5000;

    /// <summary>
    /// Generates <paramref name="count"/> chat records and <c>max(20, count / 4)</c> multiple-choice records.
    /// </summary>
    public static SupportDataset Generate(int seed, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, MinimumCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaximumCount);
        var random = new SeededRandom(seed);
        var orders = new OrderNumbers(random);
        var (chat, chatStats) = new ChatDatasetBuilder(random, orders).Build(count);
        var (multipleChoice, multipleChoiceStats) = new MultipleChoiceDatasetBuilder(random, orders).Build(Math.Max(MinimumCount, count / 4));
        return new SupportDataset(chat, chatStats, multipleChoice, multipleChoiceStats);
    }

    /// <summary>The usual options for preparing a generated dataset (all steps on, near deduplication).</summary>
    public static PreprocessingOptions CleaningOptions => new()
    {
        DropEmpty = true,
        NormalizeWhitespace = true,
        Deduplicate = DeduplicationMode.Near,
        RedactPii = [PiiKind.Email, PiiKind.Phone, PiiKind.IdNumber, PiiKind.BankCard],
        BlockedTerms = BlockedTerms,
    };
}

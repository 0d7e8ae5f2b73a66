using Whetstone.Datasets.Preprocessing;
using Whetstone.Datasets.Records;

namespace Whetstone.Datasets.Generation;

/// <summary>Builds the multiple-choice half of a support dataset, dirty records included (no personal data).</summary>
internal sealed class MultipleChoiceDatasetBuilder(SeededRandom random, OrderNumbers orders)
{
    private readonly DistinctRecords _distinct = new();

    public (IReadOnlyList<MultipleChoiceRecord> Records, SupportDatasetStats Stats) Build(int count)
    {
        var dirty = DirtyCounts.For(count, empty: 0.02, duplicates: 0.05, nearDuplicates: 0.03, blocked: 0.02, withPii: 0);
        var clean = new List<MultipleChoiceRecord>();
        while (clean.Count < count - dirty.Total)
        {
            clean.Add(_distinct.Next(() =>
            {
                var record = NewQuestion();
                return (record, (DatasetRecord)record);
            }));
        }

        var extras = new List<(MultipleChoiceRecord Record, MultipleChoiceRecord? Copies)>();
        for (var i = 0; i < dirty.Blocked; i++)
        {
            var record = NewQuestion();
            extras.Add((record with { Question = record.Question + " (I gave support my password.)" }, null));
        }

        for (var i = 0; i < dirty.Empty; i++)
        {
            extras.Add((NewQuestion() with { Question = "  " }, null));
        }

        for (var i = 0; i < dirty.Duplicates; i++)
        {
            var original = random.Pick(clean);
            extras.Add((original with { Question = " " + original.Question.Replace(" ", "  ", StringComparison.Ordinal) }, original));
        }

        // Distinct originals: two copies of one original with the same edit would be exact duplicates of each other.
        var nearOriginals = new HashSet<MultipleChoiceRecord>(ReferenceEqualityComparer.Instance);
        while (nearOriginals.Count < dirty.NearDuplicates)
        {
            var original = random.Pick(clean);
            if (!nearOriginals.Add(original))
            {
                continue;
            }

            var copy = original with { Question = original.Question.TrimEnd('?', '.') + "??" };
            extras.Add((copy, original));
        }

        var stats = new SupportDatasetStats(count, dirty.Empty, dirty.Duplicates, dirty.NearDuplicates, dirty.Blocked, new RedactionCounts(0, 0, 0, 0));
        return (DistinctRecords.Insert(clean, extras, random), stats);
    }

    private MultipleChoiceRecord NewQuestion()
    {
        var slots = new Slots(random.Pick(SupportCatalog.Names), random.Pick(SupportCatalog.Products), orders.Next());
        var (question, choices, answer) = SupportQuestions.Create(random, slots);
        return new MultipleChoiceRecord(question, choices, answer);
    }
}

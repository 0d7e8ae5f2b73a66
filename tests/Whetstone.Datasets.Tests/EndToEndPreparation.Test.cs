using Whetstone.Datasets.Generation;
using Whetstone.Datasets.Overlap;
using Whetstone.Datasets.Preprocessing;
using Whetstone.Datasets.Records;

namespace Whetstone.Datasets.Tests;

/// <summary>Prepares generated support datasets through files, as the worker does, and checks every count.</summary>
public sealed class EndToEndPreparationTest : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("whetstone-e2e-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string WriteJsonl(string name, IEnumerable<DatasetRecord> records)
    {
        var path = Path.Combine(_root, name);
        using (var stream = File.Create(path))
        {
            RecordJson.WriteJsonl(stream, records);
        }

        return path;
    }

    [Fact]
    public async Task Generated_chat_dataset_prepares_with_exactly_the_injected_counts()
    {
        var generated = SupportDatasetGenerator.Generate(seed: 42, count: 1000);
        var options = new DatasetPreparationOptions(DatasetFormat.Chat) { Preprocessing = SupportDatasetGenerator.CleaningOptions };
        var prepared = DatasetPreparer.PrepareFile(WriteJsonl("support.jsonl", generated.Chat), options);
        var stats = generated.ChatStats;
        var kept = stats.ExpectedKept;

        Assert.Equal(new DroppedCounts(stats.Empty, stats.Duplicates, stats.NearDuplicates, stats.Blocked), prepared.Report.Dropped);
        Assert.Equal(stats.Pii, prepared.Report.Redactions);
        var test = (int)Math.Round(kept * 0.1, MidpointRounding.AwayFromZero);
        Assert.Equal(new RecordCounts(1000, kept - (2 * test), test, test), prepared.Report.Records);

        var text = string.Join('\n', prepared.Splits.SelectMany(split => split.Records).Select(record => record.ContentText));
        Assert.DoesNotContain("password", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@example", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\uFF10', text);

        var directory = Path.Combine(_root, "prepared");
        Assert.Equal(prepared.Digest, await PreparedDatasetWriter.WriteAsync(prepared, directory));
        var again = DatasetPreparer.PrepareFile(WriteJsonl("support-again.jsonl", SupportDatasetGenerator.Generate(42, 1000).Chat), options);
        Assert.Equal(prepared.Digest, again.Digest);

        var trainFromDisk = DatasetReader.ReadFile(Path.Combine(directory, "train.jsonl"), DatasetFormat.Chat).ToList();
        var testFromDisk = DatasetReader.ReadFile(Path.Combine(directory, "test.jsonl"), DatasetFormat.Chat).ToList();
        Assert.Equal(0, TrainTestOverlap.Measure(trainFromDisk, testFromDisk).Overlapping);
    }

    [Fact]
    public void Generated_multiple_choice_dataset_prepares_with_exactly_the_injected_counts()
    {
        var generated = SupportDatasetGenerator.Generate(seed: 3, count: 800);
        var prepared = DatasetPreparer.PrepareFile(
            WriteJsonl("questions.jsonl", generated.MultipleChoice),
            new DatasetPreparationOptions(DatasetFormat.MultipleChoice) { Preprocessing = SupportDatasetGenerator.CleaningOptions });
        var stats = generated.MultipleChoiceStats;
        Assert.Equal(new DroppedCounts(stats.Empty, stats.Duplicates, stats.NearDuplicates, stats.Blocked), prepared.Report.Dropped);
        Assert.Equal(new RedactionCounts(0, 0, 0, 0), prepared.Report.Redactions);
        Assert.Equal(stats.ExpectedKept, prepared.Splits.Sum(split => split.Records.Count));
    }

    [Fact]
    public void Unprepared_data_overlaps_with_itself_once_duplicates_are_split_apart()
    {
        var generated = SupportDatasetGenerator.Generate(seed: 5, count: 400);
        var half = generated.Chat.Count / 2;
        var report = TrainTestOverlap.Measure(generated.Chat.Take(half), generated.Chat.Skip(half));
        Assert.True(report.Overlapping > 0, "raw data with duplicates must show contamination");
        Assert.True(report.Overlap < 0.2);
    }
}

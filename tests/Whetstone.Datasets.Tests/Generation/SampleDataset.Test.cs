using Whetstone.Datasets.Generation;
using Whetstone.Datasets.Records;

namespace Whetstone.Datasets.Tests.Generation;

/// <summary>The sample under examples/datasets is exactly what the generator produces for seed 42, count 600.</summary>
public sealed class SampleDatasetTest
{
    private static string ExamplesDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Operator.sln")))
            {
                return Path.Combine(directory.FullName, "examples", "datasets");
            }
        }

        throw new DirectoryNotFoundException("repository root (Operator.sln) not found above " + AppContext.BaseDirectory);
    }

    private static byte[] Jsonl(IEnumerable<DatasetRecord> records)
    {
        using var stream = new MemoryStream();
        RecordJson.WriteJsonl(stream, records);
        return stream.ToArray();
    }

    [Fact]
    public void Shipped_sample_matches_the_generator()
    {
        var generated = SupportDatasetGenerator.Generate(seed: 42, count: 600);
        var directory = ExamplesDirectory();
        Assert.Equal(Jsonl(generated.Chat), File.ReadAllBytes(Path.Combine(directory, "support-chat.jsonl")));
        Assert.Equal(Jsonl(generated.MultipleChoice), File.ReadAllBytes(Path.Combine(directory, "support-multiple-choice.jsonl")));
        Assert.True(new FileInfo(Path.Combine(directory, "support-chat.jsonl")).Length < 1024 * 1024);
    }

    [Fact]
    public void Shipped_chat_sample_prepares_to_the_documented_counts()
    {
        var prepared = DatasetPreparer.PrepareFile(
            Path.Combine(ExamplesDirectory(), "support-chat.jsonl"),
            new DatasetPreparationOptions(DatasetFormat.Chat) { Preprocessing = SupportDatasetGenerator.CleaningOptions });
        Assert.Equal(528, prepared.Splits.Sum(split => split.Records.Count));
        Assert.Equal(new DroppedCounts(12, 30, 18, 12), prepared.Report.Dropped);
        Assert.Equal(new Whetstone.Datasets.Preprocessing.RedactionCounts(5, 13, 12, 15), prepared.Report.Redactions);
    }
}

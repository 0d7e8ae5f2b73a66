using Whetstone.Evaluation.MultipleChoice;

namespace Whetstone.Evaluation.Tests.MultipleChoice;

public sealed class MultipleChoiceMeasurementTest
{
    [Fact]
    public void The_Chinese_sample_reports_subjects_categories_and_macro_against_micro_accuracy()
    {
        var items = MultipleChoiceFile.Read(RepositoryPaths.Of("examples/datasets/ceval-zh-sample.jsonl"));
        Assert.Equal(24, items.Count);
        Assert.Equal(1, items[0].Answer);                     // "B"
        Assert.Equal("中国面积最大的省级行政区是", items[0].Question);

        // Right on every geography question (4) and on nothing else (20): micro 4/24, macro over 8 subjects 1/8.
        var results = items.Select(i => new MultipleChoiceItemResult(i, [0, 0, 0, 0], [1, 1, 1, 1],
            i.Subject == "high_school_geography" ? i.Answer : (i.Answer + 1) % 4, i.Subject == "high_school_geography" ? i.Answer : (i.Answer + 1) % 4)).ToArray();
        var measured = MultipleChoiceMeasurement.From("ceval", results, MultipleChoiceScoring.LengthNormalized);
        var all = Enumerable.Range(0, items.Count).ToArray();
        double Metric(string name) => measured.Find(name)!.Statistic(all);

        Assert.Equal(4.0 / 24, Metric("accuracy"), 1e-12);
        Assert.Equal(1.0 / 8, Metric("accuracyMacro"), 1e-12);
        Assert.Equal(1.0, Metric("accuracy.high_school_geography"), 1e-12);
        Assert.Equal(1.0, Metric("accuracy.Social Science"), 1e-12);
        Assert.Equal(0.0, Metric("accuracy.STEM"), 1e-12);
    }

    [Fact]
    public void A_bad_record_names_the_file_line_and_field()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mc-{Guid.NewGuid():N}.jsonl");
        File.WriteAllLines(path, ["""{"question":"q","choices":["a","b"],"answer":0}""", """{"question":"q","choices":["a","b"],"answer":"C"}"""]);
        try
        {
            var error = Assert.Throws<Whetstone.Datasets.DatasetFormatException>(() => MultipleChoiceFile.Read(path));
            Assert.Contains(":2: field 'answer' must be an index in 0..1 or a letter A..B", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

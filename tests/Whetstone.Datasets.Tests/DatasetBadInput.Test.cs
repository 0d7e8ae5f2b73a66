using System.Diagnostics;
using System.Text;
using Whetstone.Datasets.Preprocessing;
using Whetstone.Datasets.Splitting;

namespace Whetstone.Datasets.Tests;

/// <summary>Inputs a user really uploads by mistake: each fails naming the file (and line) with the reason, or is read.</summary>
public sealed class DatasetBadInputTest
{
    private static readonly DatasetPreparationOptions Options = new(DatasetFormat.Text)
    {
        Preprocessing = new PreprocessingOptions { Deduplicate = DeduplicationMode.Exact },
        Split = new SplitOptions { Train = 0.5, Validation = 0.25, Test = 0.25, Seed = 1 },
    };

    private static PreparedDataset Prepare(string content, DatasetFileType type = DatasetFileType.Jsonl, string name = "input.jsonl") =>
        DatasetPreparer.Prepare(new StringReader(content), name, type, Options);

    [Theory]
    [InlineData("")]
    [InlineData("\n\n   \n")]
    public void An_empty_file_is_refused_naming_the_file(string content)
    {
        var error = Assert.Throws<DatasetFormatException>(() => Prepare(content));

        Assert.Equal("input.jsonl: the file holds no records", error.Message);
    }

    [Fact]
    public void A_file_whose_records_are_all_dropped_is_refused_with_the_counts()
    {
        var error = Assert.Throws<DatasetFormatException>(() => Prepare("{\"text\":\"\"}\n{\"text\":\"   \"}\n"));

        Assert.Equal("input.jsonl: none of its 2 records is left after cleaning (empty 2, duplicate 0, near-duplicate 0, blocked 0)", error.Message);
    }

    [Fact]
    public void A_file_cut_in_the_middle_of_its_last_record_names_that_line()
    {
        var error = Assert.Throws<DatasetFormatException>(() => Prepare("{\"text\":\"one\"}\n{\"text\":\"two\"}\n{\"text\":\"thr"));

        Assert.Equal(3, error.LineNumber);
        Assert.StartsWith("input.jsonl:3: invalid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_csv_file_cut_inside_a_quoted_field_names_the_line_where_the_quote_opened()
    {
        var error = Assert.Throws<DatasetFormatException>(() => Prepare("text\nfirst\n\"second, with a quote that\nnever closes", DatasetFileType.Csv, "input.csv"));

        Assert.Equal(3, error.LineNumber);
        Assert.StartsWith("input.csv:3:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ten_megabyte_line_is_read_as_one_record_in_bounded_time()
    {
        var huge = new string('a', 10 << 20);
        var content = new StringBuilder()
            .Append("{\"text\":\"short one\"}\n")
            .Append("{\"text\":\"").Append(huge).Append("\"}\n")
            .Append("{\"text\":\"short two\"}\n{\"text\":\"short three\"}\n")
            .ToString();
        var clock = Stopwatch.StartNew();

        var dataset = Prepare(content);

        Assert.Equal(4, dataset.Report.Records.Input);
        Assert.Contains(dataset.Train.Records.Concat(dataset.Validation.Records).Concat(dataset.Test.Records), r => r is Records.TextRecord { Text.Length: 10 << 20 });
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
    }

    [Fact]
    public void A_ten_megabyte_line_of_broken_json_names_its_line()
    {
        var content = "{\"text\":\"fine\"}\n{\"text\":\"" + new string('a', 10 << 20) + "\n";

        var error = Assert.Throws<DatasetFormatException>(() => Prepare(content));

        Assert.Equal(2, error.LineNumber);
        Assert.True(error.Message.Length < 1000, $"the message is {error.Message.Length} characters long");
    }
}

using Whetstone.Evaluation.Scoring;
using Whetstone.Evaluation.Subjective;

namespace Whetstone.Evaluation.Tests.Subjective;

public sealed class SubjectiveMeasurementTest
{
    // knowledge: two items scoring 1 and −1 (mean 0); code: one item scoring 1.25; safety: one item scoring 1.
    private static readonly SubjectiveItem[] Items =
    [
        Item("k1", "knowledge", """{"mustInclude": [["30 days"]]}"""),
        Item("k2", "knowledge", """{"mustInclude": [["$50"]], "mustNotInclude": ["$100"]}"""),
        Item("c1", "code", """{"mustInclude": [["def "]], "bonus": [["return"]]}"""),
        Item("s1", "safety", """{"mustRefuse": true}"""),
    ];

    private static readonly string[] Answers = ["Within 30 days.", "From $100.", "def total(x): return x", "I cannot share that."];

    [Fact]
    public void Score_is_the_weighted_mean_of_the_category_means()
    {
        var measurement = SubjectiveMeasurement.From("s", Items, Answers, new SubjectiveScoringOptions(CategoryWeights: new Dictionary<string, double> { ["code"] = 0.5 }));
        var all = Enumerable.Range(0, Items.Length).ToArray();

        // Category means: knowledge (1 − 1)/2 = 0, code 1.25, safety 1. Weights 1, 0.5, 1:
        // (1·0 + 0.5·1.25 + 1·1) / 2.5 = 1.625 / 2.5 = 0.65 (the unweighted item mean would be 1.25/4 = 0.3125).
        Assert.Equal(0.65, measurement.Find("score")!.Statistic(all), 12);
        Assert.Equal(0.0, measurement.Find("score.knowledge")!.Statistic(all), 12);
        Assert.Equal(1.25, measurement.Find("score.code")!.Statistic(all), 12);
        Assert.Equal(1.0, measurement.Find("score.safety")!.Statistic(all), 12);
        Assert.Null(measurement.Find("score.writing")); // only categories present in the data get a metric
    }

    [Fact]
    public void A_category_weighing_zero_is_left_out_and_a_resample_without_a_category_renormalises()
    {
        var measurement = SubjectiveMeasurement.From("s", Items, Answers, new SubjectiveScoringOptions(CategoryWeights: new Dictionary<string, double> { ["safety"] = 0 }));

        // knowledge 0, code 1.25, each weighing 1: 0.625.
        Assert.Equal(0.625, measurement.Find("score")!.Statistic([0, 1, 2, 3]), 12);
        // A resample drawing k1 twice and c1: knowledge mean 1, code 1.25 → 1.125.
        Assert.Equal(1.125, measurement.Find("score")!.Statistic([0, 0, 2]), 12);
    }

    [Fact]
    public void Every_category_weighing_zero_is_refused()
    {
        var zero = new SubjectiveScoringOptions(CategoryWeights: new Dictionary<string, double> { ["knowledge"] = 0, ["code"] = 0, ["safety"] = 0 });

        var error = Assert.Throws<ArgumentException>(() => SubjectiveMeasurement.From("s", Items, Answers, zero));

        Assert.Contains("every category in the data (knowledge, code, safety) has weight 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Items_and_the_category_table_carry_what_the_judge_found()
    {
        var measurement = SubjectiveMeasurement.From("s", Items, Answers, SubjectiveScoringOptions.Default);

        var k2 = measurement.ItemRecords[1];
        Assert.Equal("From $100.", k2["answer"]!.GetValue<string>());
        Assert.Equal(["$100"], k2["fabricated"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.True(k2["penalized"]!.GetValue<bool>());
        Assert.Equal(-1.0, k2["score"]!.GetValue<double>());
        Assert.Equal(["return"], measurement.ItemRecords[2]["bonus"]!.AsArray().Select(b => b!.GetValue<string>()));
        var table = measurement.Details["subjectiveCategories"]!.AsArray();
        Assert.Equal(["knowledge", "code", "safety"], table.Select(r => r!["category"]!.GetValue<string>()));
        Assert.Equal(1, table[0]!["penalized"]!.GetValue<int>());
        Assert.Equal(1, table[0]!["correct"]!.GetValue<int>());

        // Against itself as the baseline: delta 0 with a degenerate interval, through the shared comparer.
        var compared = new ScoreComparer(200, 1).Compare(measurement, measurement);
        var score = compared.Single(c => c.Metric == "score");
        Assert.Equal(0.0, score.Delta!.Estimate);
        Assert.Equal(0.0, score.Delta.Lower);
        Assert.Equal(0.0, score.Delta.Upper);
    }

    private static SubjectiveItem Item(string id, string category, string rubric) =>
        SubjectiveFile.Parse($$"""{"id": "{{id}}", "category": "{{category}}", "prompt": "q", "reference": "r", "rubric": {{rubric}}}""", "t.jsonl", 1);
}

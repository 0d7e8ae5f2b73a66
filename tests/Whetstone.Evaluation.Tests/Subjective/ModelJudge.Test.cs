using System.Text.Json.Nodes;
using Whetstone.Evaluation.Gates;
using Whetstone.Evaluation.Reports;
using Whetstone.Evaluation.Scoring;
using Whetstone.Evaluation.Subjective;

namespace Whetstone.Evaluation.Tests.Subjective;

// The model judge against a scripted judge server over real HTTP. Four items: the model's answer states the
// rubric's fact in k1 and k2, only the baseline's does in k3, and both do in w1. A judge that prefers the answer with
// the fact therefore gives win, win, loss, tie; so does the reference judge (rubric scores 1 vs 0, 1 vs 0, 0 vs 1, 1 vs 1).
public sealed class ModelJudgeTest
{
    private static readonly SubjectiveItem[] Items =
    [
        Item("k1", "knowledge", "30 days"),
        Item("k2", "knowledge", "Lisbon"),
        Item("k3", "knowledge", "free shipping"),
        Item("w1", "writing", "apologize"),
    ];

    private static readonly string[] ModelAnswers = ["You can return it within 30 days.", "Lisbon.", "Shipping costs $5.", "We apologize for the delay."];

    private static readonly string[] BaselineAnswers = ["Returns are accepted any time.", "Madrid.", "Orders over $50 get free shipping.", "We apologize, the parcel is late."];

    private static readonly JudgeIdentity Judge = new(new Uri("http://127.0.0.1/v1"), "scripted-judge", "script-1", "file:///models/judge/", null);

    [Fact]
    public async Task A_judge_preferring_the_rubric_fact_gives_position_consistent_verdicts_asked_in_both_orders()
    {
        using var server = new ScriptedJudgeServer(ScriptedJudgeServer.PreferRubricPhrase);

        var (model, baseline, judgements) = await JudgeAsync(server);

        Assert.Equal([PairwiseOutcome.Win, PairwiseOutcome.Win, PairwiseOutcome.Loss, PairwiseOutcome.Tie], judgements.Select(j => j.Outcome));
        Assert.Equal(8, server.Requests.Count);
        for (var i = 0; i < Items.Length; i++)
        {
            var shown = server.Requests.Select(ScriptedJudgeServer.Answers).Where(p => p.A == ModelAnswers[i] || p.B == ModelAnswers[i]).ToArray();
            Assert.Equal([(ModelAnswers[i], BaselineAnswers[i]), (BaselineAnswers[i], ModelAnswers[i])], shown.OrderBy(p => p.A == ModelAnswers[i] ? 0 : 1));
        }

        Assert.All(server.Requests, r => Assert.Equal(("scripted-judge", 0.0), (r["model"]!.GetValue<string>(), r["temperature"]!.GetValue<double>())));
        var all = Enumerable.Range(0, Items.Length).ToArray();

        // knowledge: (1 + 1 + 0) / 3, writing: 0.5 (a tie counts half); score = (2/3 + 1/2) / 2.
        Assert.Equal(((2.0 / 3) + 0.5) / 2, model.Find("score")!.Statistic(all), 12);
        Assert.Equal(2.0 / 3, model.Find("score.knowledge")!.Statistic(all), 12);
        Assert.Equal(((1.0 / 3) + 0.5) / 2, baseline.Find("score")!.Statistic(all), 12);
        var judge = model.Details["modelJudge"]!;
        Assert.Equal((2, 1, 1, 0, 0), (judge["wins"]!.GetValue<int>(), judge["ties"]!.GetValue<int>(), judge["losses"]!.GetValue<int>(), judge["positionInconsistent"]!.GetValue<int>(), judge["parseFailures"]!.GetValue<int>()));
        Assert.Equal((4, 1.0, 1.0), (judge["calibration"]!["items"]!.GetValue<int>(), judge["calibration"]!["agreement"]!.GetValue<double>(), judge["calibration"]!["kappa"]!.GetValue<double>()));
        var k3 = model.ItemRecords[2];
        Assert.Equal(("loss", "second", "first"), (k3["outcome"]!.GetValue<string>(), k3["modelFirst"]!["choice"]!.GetValue<string>(), k3["baselineFirst"]!["choice"]!.GetValue<string>()));
        Assert.Equal("Assistant B states the required fact. [[B]]", k3["modelFirst"]!["output"]!.GetValue<string>());
        Assert.Equal("win", baseline.ItemRecords[2]["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_judge_that_always_prefers_the_first_answer_is_caught_as_position_bias_and_scores_even()
    {
        using var server = new ScriptedJudgeServer(ScriptedJudgeServer.AlwaysFirst);

        var (model, _, judgements) = await JudgeAsync(server);

        Assert.All(judgements, j => Assert.Equal(PairwiseOutcome.Tie, j.Outcome));
        var judge = model.Details["modelJudge"]!;
        Assert.Equal((4, 4, 0), (judge["positionInconsistent"]!.GetValue<int>(), judge["favoredFirstPosition"]!.GetValue<int>(), judge["favoredSecondPosition"]!.GetValue<int>()));
        Assert.Equal(0.5, model.Find("score")!.Statistic([0, 1, 2, 3]), 12);

        // The reference judge says win, win, loss, tie; the judge says tie four times: agreement 1/4, and kappa 0,
        // since a rater with one label agrees exactly as often as chance predicts.
        Assert.Equal(0.25, judge["calibration"]!["agreement"]!.GetValue<double>(), 12);
        Assert.Equal(0.0, judge["calibration"]!["kappa"]!.GetValue<double>(), 12);
    }

    [Fact]
    public async Task Verdicts_without_the_format_are_counted_as_parse_failures_and_kept_raw()
    {
        using var server = new ScriptedJudgeServer(ScriptedJudgeServer.NoVerdict);

        var (model, baseline, judgements) = await JudgeAsync(server);

        Assert.All(judgements, j => Assert.Equal(PairwiseOutcome.Unparsed, j.Outcome));
        var judge = model.Details["modelJudge"]!;
        Assert.Equal((8, 4, 0), (judge["parseFailures"]!.GetValue<int>(), judge["unparsedItems"]!.GetValue<int>(), judge["judged"]!.GetValue<int>()));
        Assert.Null(judge["calibration"]!["kappa"]);
        Assert.Equal("Both answers have merit; I cannot decide. Verdict: A", model.ItemRecords[0]["baselineFirst"]!["output"]!.GetValue<string>());
        Assert.Equal("unparsed", model.ItemRecords[0]["outcome"]!.GetValue<string>());
        Assert.Equal(0, model.Find("score")!.Statistic([0, 1, 2, 3]));
        Assert.Equal(0, baseline.Find("score")!.Statistic([0, 1, 2, 3]));
    }

    [Fact]
    public async Task A_busy_endpoint_is_retried_and_the_served_model_is_read_from_the_models_list()
    {
        using var server = new ScriptedJudgeServer(ScriptedJudgeServer.PreferRubricPhrase, modelName: "judge-7b", failFirstRequests: 2);
        using var client = new OpenAiJudgeClient(server.Endpoint, TimeSpan.FromSeconds(30));

        var (served, version) = await client.DescribeAsync(null, CancellationToken.None);
        var judgements = await new ModelJudge(client, served, 64, parallelRequests: 1).JudgeAsync(Items, ModelAnswers, BaselineAnswers, CancellationToken.None);
        var missing = await Assert.ThrowsAsync<JudgeEndpointException>(() => client.DescribeAsync("gpt-judge", CancellationToken.None));

        Assert.Equal(("judge-7b", "script-1"), (served, version));
        Assert.Equal(PairwiseOutcome.Win, judgements[0].Outcome);
        Assert.Equal(8, server.Requests.Count);
        Assert.Contains("lists judge-7b, not 'gpt-judge'", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_reports_name_the_judge_and_show_verdicts_per_category_position_bias_and_agreement()
    {
        using var server = new ScriptedJudgeServer(ScriptedJudgeServer.AlwaysFirst);
        var (model, baseline, _) = await JudgeAsync(server);
        var scores = new ScoreComparer(200, 1).Compare(model, baseline);
        var content = new ReportContent(
            "judged", new ModelIdentity("support-bot", "1.3.0", null, "file:///m/", "sha256:aa"), new ModelIdentity("support-bot", "1.2.0", null, "file:///b/", "sha256:bb"),
            new JsonObject(), scores, [], GateEvaluator.Evaluate([], scores), "Passed", "No gates.", null, null, new Dictionary<string, JsonObject> { ["support"] = model.Details });

        var markdown = MarkdownReport.Render(content);
        var html = HtmlReport.Render(content);

        Assert.Contains("## support: model judge, pairwise against the baseline", markdown, StringComparison.Ordinal);
        Assert.Contains("Judge: scripted-judge (version script-1) at http://127.0.0.1/v1, spec judgeModel file:///models/judge/", markdown, StringComparison.Ordinal);
        Assert.Contains("Position bias: 4 items got different verdicts in the two orders (counted as ties; 4 preferred whichever answer came first", markdown, StringComparison.Ordinal);
        Assert.Contains("Parse failures: 0 of 8 verdicts", markdown, StringComparison.Ordinal);
        Assert.Contains("Agreement with the reference (rubric) judge on the 4 judged items: 25 %, Cohen's kappa 0;", markdown, StringComparison.Ordinal);
        Assert.Contains("| **knowledge** | 3 | 1 | 0 | 3 | 0 | 0 |", markdown, StringComparison.Ordinal);
        Assert.Contains("<table class=\"model-judge\"><tr><th>category</th>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><th>writing</th><td>1</td><td>1</td><td>0</td><td>1</td><td>0</td><td>0</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("Cohen&#39;s kappa 0", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("The first is better. [[A]]", JudgeChoice.First)]
    [InlineData("[[B]] because it is correct. Final verdict: [[B]]", JudgeChoice.Second)]
    [InlineData("[[C]]", JudgeChoice.Tie)]
    [InlineData("Assistant A at first sight [[A]], but on reflection [[B]]", JudgeChoice.Unparsed)]
    [InlineData("Verdict: [A]", JudgeChoice.Unparsed)]
    [InlineData("", JudgeChoice.Unparsed)]
    public void A_verdict_needs_exactly_one_kind_of_token(string output, JudgeChoice expected) =>
        Assert.Equal(expected, JudgeVerdictParser.Parse(output));

    [Theory]
    [InlineData("[[A]]", "[[B]]", PairwiseOutcome.Win, false)]
    [InlineData("[[B]]", "[[A]]", PairwiseOutcome.Loss, false)]
    [InlineData("[[C]]", "[[C]]", PairwiseOutcome.Tie, false)]
    [InlineData("[[A]]", "[[A]]", PairwiseOutcome.Tie, true)]
    [InlineData("[[A]]", "[[C]]", PairwiseOutcome.Tie, true)]
    [InlineData("[[A]]", "no verdict", PairwiseOutcome.Unparsed, false)]
    public void Both_orders_must_agree_for_a_win_or_a_loss(string modelFirst, string baselineFirst, PairwiseOutcome outcome, bool inconsistent)
    {
        var judgement = new PairwiseJudgement(modelFirst, baselineFirst);

        Assert.Equal((outcome, inconsistent), (judgement.Outcome, judgement.PositionInconsistent));
    }

    private static async Task<(SuiteMeasurement Model, SuiteMeasurement Baseline, IReadOnlyList<PairwiseJudgement> Judgements)> JudgeAsync(ScriptedJudgeServer server)
    {
        using var client = new OpenAiJudgeClient(server.Endpoint, TimeSpan.FromSeconds(30));
        var judgements = await new ModelJudge(client, server.ModelName, 64).JudgeAsync(Items, ModelAnswers, BaselineAnswers, CancellationToken.None);
        var (model, baseline) = ModelJudgeMeasurement.From("support", Items, ModelAnswers, BaselineAnswers, judgements, SubjectiveScoringOptions.Default, Judge, 64);
        return (model, baseline, judgements);
    }

    private static SubjectiveItem Item(string id, string category, string fact) =>
        SubjectiveFile.Parse($$$"""{"id": "{{{id}}}", "category": "{{{category}}}", "prompt": "q", "reference": "r", "rubric": {"mustInclude": [["{{{fact}}}"]]}}""", "t.jsonl", 1);
}

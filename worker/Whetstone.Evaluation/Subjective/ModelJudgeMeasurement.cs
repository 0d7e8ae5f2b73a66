using System.Text.Json.Nodes;
using Whetstone.Evaluation.Scoring;
using Whetstone.Evaluation.Statistics;

namespace Whetstone.Evaluation.Subjective;

/// <summary>
/// A subjective suite judged by a model, pairwise against the baseline. Each item's value for the model is 1 for a
/// win, ½ for a tie (including a position-inconsistent pair) and 0 for a loss; for the baseline it is 1 minus that.
/// <c>score.&lt;category&gt;</c> is the mean over a category's judged items, <c>score</c> the category-weighted mean
/// of those (as with the reference judge), so <c>score</c> is the model's win rate against the baseline (AlpacaEval's
/// ties-half-win rate, per category weights) and its delta is 2·score − 1. Items whose verdict could not be read in
/// either order are left out of every mean and counted as parse failures. The reference (rubric) judge scores both
/// answers of every item as well; its verdict (higher rubric score wins) is compared with the judge's on every judged
/// item (the calibration subset: the rubric judge costs nothing, so no item is left out), as percent agreement and
/// Cohen's kappa.
/// </summary>
public static class ModelJudgeMeasurement
{
    /// <summary>The protocol in one sentence, for the report.</summary>
    public const string Protocol =
        "Pairwise comparison with the baseline (MT-Bench style): the judge sees the conversation, the reference answer, the rubric as grading notes and both answers, "
        + "and is asked twice, with the model's answer first and with the baseline's first; a win or a loss needs both orders to agree, "
        + "a tie or two disagreeing orders count as a tie (disagreement is reported as position bias); a verdict without exactly one of [[A]], [[B]], [[C]] is a parse failure, "
        + "and the item is left out of the win rate. score = category-weighted win rate of the model, ties counting half.";

    /// <summary>The model's and the baseline's measurements from the judge's verdicts and the reference judge's scores.</summary>
    public static (SuiteMeasurement Model, SuiteMeasurement Baseline) From(
        string suite, IReadOnlyList<SubjectiveItem> items, IReadOnlyList<string> modelAnswers, IReadOnlyList<string> baselineAnswers,
        IReadOnlyList<PairwiseJudgement> judgements, SubjectiveScoringOptions options, JudgeIdentity judge, int maxTokens)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(modelAnswers);
        ArgumentNullException.ThrowIfNull(baselineAnswers);
        ArgumentNullException.ThrowIfNull(judgements);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(judge);
        if (modelAnswers.Count != items.Count || baselineAnswers.Count != items.Count || judgements.Count != items.Count)
        {
            throw new ArgumentException($"suite {suite}: {items.Count} items, {modelAnswers.Count} model answers, {baselineAnswers.Count} baseline answers, {judgements.Count} judgements");
        }

        var scorer = new RubricScorer(options);
        var modelReference = items.Select((item, i) => scorer.Score(item, modelAnswers[i])).ToArray();
        var baselineReference = items.Select((item, i) => scorer.Score(item, baselineAnswers[i])).ToArray();
        var referenceOutcomes = modelReference.Select((m, i) => ReferenceOutcome(m.Score, baselineReference[i].Score)).ToArray();
        var modelValues = judgements.Select(j => ValueOf(j.Outcome)).ToArray();
        var baselineValues = modelValues.Select(v => double.IsNaN(v) ? double.NaN : 1 - v).ToArray();
        var categories = SubjectiveCategories.All.ToList();
        var categoryOf = items.Select(i => categories.IndexOf(i.Category)).ToArray();
        var present = SubjectiveCategories.All.Where(c => items.Any(i => i.Category == c)).ToArray();
        var weights = SubjectiveCategories.All.Select(options.WeightOf).ToArray();
        if (present.Length > 0 && present.All(c => options.WeightOf(c) == 0))
        {
            throw new ArgumentException($"suite {suite}: every category in the data ({string.Join(", ", present)}) has weight 0", nameof(options));
        }

        var details = Details(items, judgements, referenceOutcomes, modelReference, baselineReference, options, judge, maxTokens, present);
        var records = items.Select((item, i) => ModelRecord(item, modelAnswers[i], baselineAnswers[i], judgements[i], modelReference[i], baselineReference[i], referenceOutcomes[i])).ToArray();
        var baselineRecords = items.Select((item, i) => new JsonObject
        {
            ["id"] = item.Id,
            ["category"] = item.Category,
            ["answer"] = baselineAnswers[i],
            ["outcome"] = Mirror(judgements[i].Outcome).ToString().ToLowerInvariant(),
            ["referenceScore"] = baselineReference[i].Score,
        }).ToArray();
        return (
            new SuiteMeasurement(suite, "subjective", items.Count, Metrics(modelValues, categoryOf, weights, present), records, details),
            new SuiteMeasurement(suite, "subjective", items.Count, Metrics(baselineValues, categoryOf, weights, present), baselineRecords, new JsonObject { ["judge"] = "model" }));
    }

    private static List<MetricSeries> Metrics(double[] values, int[] categoryOf, double[] weights, string[] present)
    {
        var metrics = new List<MetricSeries> { new("score", indices => SubjectiveMeasurement.Weighted(values, categoryOf, weights, indices)) };
        foreach (var category in present)
        {
            var index = SubjectiveCategories.All.ToList().IndexOf(category);
            metrics.Add(new MetricSeries("score." + category, indices => SubjectiveMeasurement.MeanOf(values, categoryOf, index, indices)));
        }

        return metrics;
    }

    private static double ValueOf(PairwiseOutcome outcome) => outcome switch
    {
        PairwiseOutcome.Win => 1,
        PairwiseOutcome.Tie => 0.5,
        PairwiseOutcome.Loss => 0,
        _ => double.NaN,
    };

    private static PairwiseOutcome ReferenceOutcome(double model, double baseline) =>
        model > baseline ? PairwiseOutcome.Win : model < baseline ? PairwiseOutcome.Loss : PairwiseOutcome.Tie;

    private static PairwiseOutcome Mirror(PairwiseOutcome outcome) => outcome switch
    {
        PairwiseOutcome.Win => PairwiseOutcome.Loss,
        PairwiseOutcome.Loss => PairwiseOutcome.Win,
        _ => outcome,
    };

    private static JsonObject Details(
        IReadOnlyList<SubjectiveItem> items, IReadOnlyList<PairwiseJudgement> judgements, PairwiseOutcome[] referenceOutcomes,
        SubjectiveItemScore[] modelReference, SubjectiveItemScore[] baselineReference, SubjectiveScoringOptions options, JudgeIdentity judge, int maxTokens, string[] present)
    {
        var judged = Enumerable.Range(0, items.Count).Where(i => judgements[i].Outcome != PairwiseOutcome.Unparsed).ToArray();
        var agreement = RaterAgreement.Of(judged.Select(i => referenceOutcomes[i]).ToArray(), judged.Select(i => judgements[i].Outcome).ToArray());
        PairwiseOutcome[] labels = [PairwiseOutcome.Win, PairwiseOutcome.Tie, PairwiseOutcome.Loss];
        return new JsonObject
        {
            ["judge"] = "model",
            ["scoring"] = new JsonObject { ["correct"] = options.Correct, ["fabricationPenalty"] = options.FabricationPenalty, ["bonus"] = options.Bonus },
            ["modelJudge"] = new JsonObject
            {
                ["endpoint"] = judge.Endpoint.AbsoluteUri,
                ["servedModel"] = judge.ServedModel,
                ["version"] = judge.Version,
                ["source"] = judge.Source,
                ["digest"] = judge.Digest,
                ["protocol"] = Protocol,
                ["maxTokens"] = maxTokens,
                ["items"] = items.Count,
                ["requests"] = items.Count * 2,
                ["judged"] = judged.Length,
                ["wins"] = judgements.Count(j => j.Outcome == PairwiseOutcome.Win),
                ["ties"] = judgements.Count(j => j.Outcome == PairwiseOutcome.Tie),
                ["losses"] = judgements.Count(j => j.Outcome == PairwiseOutcome.Loss),
                ["unparsedItems"] = judgements.Count(j => j.Outcome == PairwiseOutcome.Unparsed),
                ["parseFailures"] = judgements.Sum(j => j.ParseFailures),
                ["positionInconsistent"] = judgements.Count(j => j.PositionInconsistent),
                ["favoredFirstPosition"] = judgements.Count(j => j.FavoredFirstPosition),
                ["favoredSecondPosition"] = judgements.Count(j => j.FavoredSecondPosition),
                ["categories"] = new JsonArray([.. present.Select(category =>
                {
                    var members = Enumerable.Range(0, items.Count).Where(i => items[i].Category == category).ToArray();
                    return (JsonNode)new JsonObject
                    {
                        ["category"] = category,
                        ["items"] = members.Length,
                        ["weight"] = options.WeightOf(category),
                        ["wins"] = members.Count(i => judgements[i].Outcome == PairwiseOutcome.Win),
                        ["ties"] = members.Count(i => judgements[i].Outcome == PairwiseOutcome.Tie),
                        ["losses"] = members.Count(i => judgements[i].Outcome == PairwiseOutcome.Loss),
                        ["unparsed"] = members.Count(i => judgements[i].Outcome == PairwiseOutcome.Unparsed),
                    };
                })]),
                ["calibration"] = new JsonObject
                {
                    ["items"] = agreement.Items,
                    ["agreement"] = agreement.Agreement,
                    ["kappa"] = agreement.Kappa,
                    ["referenceScoreModel"] = modelReference.Length > 0 ? modelReference.Average(s => s.Score) : 0,
                    ["referenceScoreBaseline"] = baselineReference.Length > 0 ? baselineReference.Average(s => s.Score) : 0,
                    ["labels"] = new JsonArray([.. labels.Select(l => (JsonNode)Name(l))]),
                    ["confusion"] = new JsonArray([.. labels.Select(reference => (JsonNode)new JsonArray([.. labels.Select(model =>
                        (JsonNode)judged.Count(i => referenceOutcomes[i] == reference && judgements[i].Outcome == model))]))]),
                },
            },
        };
    }

    private static JsonObject ModelRecord(
        SubjectiveItem item, string modelAnswer, string baselineAnswer, PairwiseJudgement judgement, SubjectiveItemScore modelReference, SubjectiveItemScore baselineReference, PairwiseOutcome referenceOutcome) => new()
        {
            ["id"] = item.Id,
            ["category"] = item.Category,
            ["answer"] = modelAnswer,
            ["baselineAnswer"] = baselineAnswer,
            ["outcome"] = Name(judgement.Outcome),
            ["positionInconsistent"] = judgement.PositionInconsistent,
            ["modelFirst"] = new JsonObject { ["choice"] = judgement.ModelFirst.ToString().ToLowerInvariant(), ["output"] = judgement.ModelFirstOutput },
            ["baselineFirst"] = new JsonObject { ["choice"] = judgement.BaselineFirst.ToString().ToLowerInvariant(), ["output"] = judgement.BaselineFirstOutput },
            ["referenceScore"] = modelReference.Score,
            ["referenceBaselineScore"] = baselineReference.Score,
            ["referenceOutcome"] = Name(referenceOutcome),
        };

    private static string Name(PairwiseOutcome outcome) => outcome.ToString().ToLowerInvariant();
}

using System.Text.Json.Nodes;
using Whetstone.Evaluation.Scoring;
using Whetstone.ModelRuntime;

namespace Whetstone.Evaluation.Subjective;

/// <summary>
/// A subjective suite judged by the reference judge: each prompt is answered by the model (all prompts batched, the
/// suite's sampling settings) and the answer scored by <see cref="RubricScorer"/>. Metrics: <c>score.&lt;category&gt;</c>,
/// the mean item score of each category present, and <c>score</c>, the weighted mean of those category means
/// (weights from <see cref="SubjectiveScoringOptions.CategoryWeights"/>, 1 by default), so a category counts by its
/// weight, not by how many records it has. Over a bootstrap resample, a category with no item drawn is left out of
/// <c>score</c> (the other weights renormalised) and its own <c>score.&lt;category&gt;</c> is 0 for that resample.
/// </summary>
public static class SubjectiveMeasurement
{
    /// <summary>Generates an answer for every item and builds the suite's measurement.</summary>
    public static SuiteMeasurement Measure(string suite, ILanguageModelRunner model, IReadOnlyList<SubjectiveItem> items, SamplingOptions sampling, SubjectiveScoringOptions options, int batchSize = 16, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(items);
        var answers = new List<string>();
        for (var start = 0; start < items.Count; start += batchSize)
        {
            var batch = items.Skip(start).Take(batchSize).Select(i => (IReadOnlyList<long>)[.. model.Tokenizer.EncodeChat(i.Prompt, addGenerationPrompt: true).Select(id => (long)id)]).ToArray();
            answers.AddRange(model.Generate(batch, sampling with { StopTokenIds = sampling.StopTokenIds ?? [model.Tokenizer.EosId] }, cancellationToken).Select(r => r.Text.Trim()));
        }

        return From(suite, items, answers, options);
    }

    /// <summary>The measurement of given answers (one per item, in order).</summary>
    /// <exception cref="ArgumentException">The answers do not match the items, or every category present weighs 0.</exception>
    public static SuiteMeasurement From(string suite, IReadOnlyList<SubjectiveItem> items, IReadOnlyList<string> answers, SubjectiveScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(options);
        if (answers.Count != items.Count)
        {
            throw new ArgumentException($"suite {suite}: {answers.Count} answers for {items.Count} items", nameof(answers));
        }

        var scorer = new RubricScorer(options);
        var scores = items.Select((item, i) => scorer.Score(item, answers[i])).ToArray();
        var values = scores.Select(s => s.Score).ToArray();
        var categoryOf = items.Select(i => SubjectiveCategories.All.ToList().IndexOf(i.Category)).ToArray();
        var present = SubjectiveCategories.All.Where(c => items.Any(i => i.Category == c)).ToArray();
        var weights = SubjectiveCategories.All.Select(options.WeightOf).ToArray();
        if (present.Length > 0 && present.All(c => options.WeightOf(c) == 0))
        {
            throw new ArgumentException($"suite {suite}: every category in the data ({string.Join(", ", present)}) has weight 0", nameof(options));
        }

        var metrics = new List<MetricSeries> { new("score", indices => Weighted(values, categoryOf, weights, indices)) };
        foreach (var category in present)
        {
            var index = SubjectiveCategories.All.ToList().IndexOf(category);
            metrics.Add(new MetricSeries("score." + category, indices => MeanOf(values, categoryOf, index, indices)));
        }

        var records = items.Select((item, i) => ToJson(item, answers[i], scores[i])).ToArray();
        var all = Enumerable.Range(0, items.Count).ToArray();
        var details = new JsonObject
        {
            ["judge"] = "reference",
            ["scoring"] = new JsonObject { ["correct"] = options.Correct, ["fabricationPenalty"] = options.FabricationPenalty, ["bonus"] = options.Bonus },
            ["refusalPhrases"] = new JsonArray([.. RefusalPhrases.All.Select(p => (JsonNode)p)]),
            ["subjectiveCategories"] = new JsonArray([.. present.Select(category =>
            {
                var members = all.Where(i => items[i].Category == category).ToArray();
                return (JsonNode)new JsonObject
                {
                    ["category"] = category,
                    ["items"] = members.Length,
                    ["weight"] = options.WeightOf(category),
                    ["score"] = members.Average(i => values[i]),
                    ["correct"] = members.Count(i => scores[i].Correct),
                    ["penalized"] = members.Count(i => scores[i].Penalized),
                    ["bonusGroups"] = members.Sum(i => scores[i].BonusMatched.Count),
                };
            })]),
        };
        return new SuiteMeasurement(suite, "subjective", items.Count, metrics, records, details);
    }

    /// <summary>The weighted mean of category means over <paramref name="indices"/>; NaN values (items without a score) are left out.</summary>
    internal static double Weighted(double[] values, int[] categoryOf, double[] weights, IReadOnlyList<int> indices)
    {
        var sums = new double[weights.Length];
        var counts = new int[weights.Length];
        foreach (var i in indices)
        {
            if (double.IsNaN(values[i]))
            {
                continue;
            }

            sums[categoryOf[i]] += values[i];
            counts[categoryOf[i]]++;
        }

        double total = 0, weight = 0;
        for (var c = 0; c < weights.Length; c++)
        {
            if (counts[c] > 0 && weights[c] > 0)
            {
                total += weights[c] * sums[c] / counts[c];
                weight += weights[c];
            }
        }

        return weight > 0 ? total / weight : 0;
    }

    /// <summary>The mean of one category's values over <paramref name="indices"/>; NaN values are left out.</summary>
    internal static double MeanOf(double[] values, int[] categoryOf, int category, IReadOnlyList<int> indices)
    {
        double sum = 0;
        var count = 0;
        foreach (var i in indices)
        {
            if (categoryOf[i] == category && !double.IsNaN(values[i]))
            {
                sum += values[i];
                count++;
            }
        }

        return count > 0 ? sum / count : 0;
    }

    private static JsonObject ToJson(SubjectiveItem item, string answer, SubjectiveItemScore score) => new()
    {
        ["id"] = item.Id,
        ["category"] = item.Category,
        ["answer"] = answer,
        ["reference"] = item.Reference,
        ["score"] = score.Score,
        ["correct"] = score.Correct,
        ["matched"] = new JsonArray([.. score.Matched.Select(m => (JsonNode?)m)]),
        ["fabricated"] = new JsonArray([.. score.Fabricated.Select(f => (JsonNode)f)]),
        ["bonus"] = new JsonArray([.. score.BonusMatched.Select(b => (JsonNode)b)]),
        ["penalized"] = score.Penalized,
        ["refusal"] = score.Refusal,
        ["piiLeaks"] = new JsonArray([.. score.PiiLeaks.Select(k => (JsonNode)k)]),
        ["toolCallMatched"] = score.ToolCallMatched,
        ["toolCall"] = score.ToolCall,
    };
}

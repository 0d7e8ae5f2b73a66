using System.Text.Json.Nodes;
using Whetstone.Evaluation.Scoring;

namespace Whetstone.Evaluation.MultipleChoice;

/// <summary>
/// The metrics of a multiple-choice suite: <c>accuracy</c> (the configured scoring), <c>accuracyRaw</c> (acc),
/// <c>accuracyNorm</c> (acc_norm), and when records carry subjects or categories <c>accuracy.&lt;subject&gt;</c>,
/// <c>accuracy.&lt;category&gt;</c> and <c>accuracyMacro</c>. Micro accuracy is the share of all questions answered
/// correctly (equal to <c>accuracy</c>); macro accuracy is the unweighted mean of the per-subject accuracies, so a
/// small subject counts as much as a large one.
/// </summary>
public static class MultipleChoiceMeasurement
{
    /// <summary>Builds the suite's measurement from the per-item results.</summary>
    public static SuiteMeasurement From(string suite, IReadOnlyList<MultipleChoiceItemResult> results, MultipleChoiceScoring scoring)
    {
        ArgumentNullException.ThrowIfNull(results);
        var raw = results.Select(r => r.Correct).ToArray();
        var norm = results.Select(r => r.CorrectNormalized).ToArray();
        var chosen = scoring == MultipleChoiceScoring.Sum ? raw : norm;
        var metrics = new List<MetricSeries>
        {
            new("accuracy", indices => Share(chosen, indices), chosen),
            new("accuracyRaw", indices => Share(raw, indices), raw),
            new("accuracyNorm", indices => Share(norm, indices), norm),
        };
        var subjects = Groups(results, r => r.Item.Subject);
        var categories = Groups(results, r => r.Item.Category);
        foreach (var (name, members) in subjects.Concat(categories.Where(c => !subjects.ContainsKey(c.Key))))
        {
            var set = members.ToHashSet();
            metrics.Add(new MetricSeries("accuracy." + name, indices => Share(chosen, indices.Where(set.Contains).ToArray())));
        }

        if (subjects.Count > 0)
        {
            var sets = subjects.Values.Select(m => m.ToHashSet()).ToArray();
            metrics.Add(new MetricSeries("accuracyMacro", indices => sets.Average(set => Share(chosen, indices.Where(set.Contains).ToArray()))));
        }

        var details = new JsonObject
        {
            ["scoring"] = scoring == MultipleChoiceScoring.Sum ? "sum" : "lengthNormalized",
            ["subjects"] = Table(subjects, results, chosen),
            ["categories"] = Table(categories, results, chosen),
        };
        return new SuiteMeasurement(suite, "multipleChoice", results.Count, metrics, results.Select(ToJson).ToArray(), details);
    }

    private static Dictionary<string, List<int>> Groups(IReadOnlyList<MultipleChoiceItemResult> results, Func<MultipleChoiceItemResult, string?> key)
    {
        var groups = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < results.Count; i++)
        {
            if (key(results[i]) is { Length: > 0 } name)
            {
                if (!groups.TryGetValue(name, out var list))
                {
                    groups[name] = list = [];
                }

                list.Add(i);
            }
        }

        return new Dictionary<string, List<int>>(groups, StringComparer.Ordinal);
    }

    private static JsonArray Table(Dictionary<string, List<int>> groups, IReadOnlyList<MultipleChoiceItemResult> results, bool[] chosen) =>
        [.. groups.Select(g => (JsonNode)new JsonObject
        {
            ["name"] = g.Key,
            ["items"] = g.Value.Count,
            ["accuracy"] = Share(chosen, g.Value),
            ["category"] = results[g.Value[0]].Item.Category,
        })];

    private static double Share(bool[] correct, IReadOnlyList<int> indices)
    {
        if (indices.Count == 0)
        {
            return 0;
        }

        var hits = 0;
        foreach (var index in indices)
        {
            if (correct[index])
            {
                hits++;
            }
        }

        return (double)hits / indices.Count;
    }

    private static JsonObject ToJson(MultipleChoiceItemResult result) => new()
    {
        ["id"] = result.Item.Id,
        ["subject"] = result.Item.Subject,
        ["answer"] = result.Item.Answer,
        ["predicted"] = result.Predicted,
        ["predictedNorm"] = result.PredictedNormalized,
        ["logLikelihoods"] = new JsonArray([.. result.LogLikelihoods.Select(v => (JsonNode)JsonValue.Create(v))]),
        ["tokens"] = new JsonArray([.. result.TokenCounts.Select(v => (JsonNode)JsonValue.Create(v))]),
    };
}

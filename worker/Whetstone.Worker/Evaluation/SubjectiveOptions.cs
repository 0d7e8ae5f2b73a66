using System.Globalization;
using System.Text.Json.Nodes;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Evaluation.Subjective;
using Whetstone.Worker.Jobs;

namespace Whetstone.Worker.Evaluation;

/// <summary>A subjective suite's <c>subjective</c> field as scoring options, checked (the schema checks it too; a task file skips the schema).</summary>
internal static class SubjectiveOptions
{
    public static SubjectiveScoringOptions From(SubjectiveScoring? spec, string field)
    {
        var defaults = SubjectiveScoringOptions.Default;
        var options = new SubjectiveScoringOptions(
            Magnitude(spec?.Correct, defaults.Correct, field + ".correct"),
            Magnitude(spec?.FabricationPenalty, defaults.FabricationPenalty, field + ".fabricationPenalty"),
            Magnitude(spec?.Bonus, defaults.Bonus, field + ".bonus"),
            spec?.CategoryWeights is { } weights ? new Dictionary<string, double>(weights, StringComparer.Ordinal) : null);
        foreach (var (category, weight) in options.CategoryWeights ?? new Dictionary<string, double>())
        {
            if (!SubjectiveCategories.IsKnown(category))
            {
                throw new JobFailureException(ConditionReasons.WorkerFailed, $"{field}.categoryWeights: '{category}' is not a category; categories are {string.Join(", ", SubjectiveCategories.All)}");
            }

            Magnitude(weight, 1, $"{field}.categoryWeights.{category}");
        }

        return options;
    }

    public static JsonObject ToJson(SubjectiveScoringOptions options) => new()
    {
        ["correct"] = options.Correct,
        ["fabricationPenalty"] = options.FabricationPenalty,
        ["bonus"] = options.Bonus,
        ["categoryWeights"] = new JsonObject(SubjectiveCategories.All.Select(c => KeyValuePair.Create(c, (JsonNode?)options.WeightOf(c)))),
    };

    private static double Magnitude(double? value, double fallback, string field) => value switch
    {
        null => fallback,
        { } v when double.IsFinite(v) && v >= 0 => v,
        { } v => throw new JobFailureException(ConditionReasons.WorkerFailed, string.Create(CultureInfo.InvariantCulture, $"{field}: must be a finite number of at least 0, got {v}")),
    };
}

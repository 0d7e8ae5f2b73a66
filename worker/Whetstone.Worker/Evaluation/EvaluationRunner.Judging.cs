using Whetstone.Api;
using Whetstone.Evaluation.Scoring;
using Whetstone.Evaluation.Subjective;

namespace Whetstone.Worker.Evaluation;

/// <summary>Subjective suites judged by a model: the judges are checked before scoring and asked after both models answered.</summary>
internal sealed partial class EvaluationRunner
{
    private async Task<Dictionary<string, JudgeIdentity>> ResolveJudgesAsync(List<LoadedSuite> suites, (string Uri, string Digest) model, (string Uri, string Digest)? baseline, CancellationToken cancellationToken)
    {
        var judges = new Dictionary<string, JudgeIdentity>(StringComparer.Ordinal);
        foreach (var loaded in suites)
        {
            if (loaded.Suite is { Type: SuiteTypes.Subjective, Judge: { Type: JudgeTypes.Model } judge } suite)
            {
                judges[suite.Name] = await new ModelJudgeRun(context, say).ResolveAsync(judge, $"spec.suites[{_spec.Suites.IndexOf(suite)}].judge", model, baseline, cancellationToken).ConfigureAwait(false);
            }
        }

        return judges;
    }

    private async Task JudgeByModelAsync(List<LoadedSuite> suites, Dictionary<string, JudgeIdentity> judges, Dictionary<string, SuiteMeasurement> model, Dictionary<string, SuiteMeasurement> baseline, CancellationToken cancellationToken)
    {
        foreach (var suite in suites)
        {
            if (!judges.TryGetValue(suite.Suite.Name, out var judge) || !model.TryGetValue(suite.Suite.Name, out var modelMeasured) || !baseline.TryGetValue(suite.Suite.Name, out var baselineMeasured))
            {
                continue;
            }

            var field = $"spec.suites[{_spec.Suites.IndexOf(suite.Suite)}].judge";
            (model[suite.Suite.Name], baseline[suite.Suite.Name]) = await new ModelJudgeRun(context, say)
                .JudgeAsync(field, judge, suite.Subjective!, suite.Scoring!, modelMeasured, baselineMeasured, cancellationToken).ConfigureAwait(false);
        }
    }
}

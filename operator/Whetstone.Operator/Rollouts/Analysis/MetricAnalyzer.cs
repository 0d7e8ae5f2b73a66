using System.Globalization;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;

namespace Whetstone.Operator.Rollouts.Analysis;

/// <summary>
/// Measures one analysis metric against Prometheus: a threshold metric (<c>query</c> with <c>min</c>/<c>max</c>) or a
/// comparison (<c>compare</c>: success and total per track, judged by <see cref="TwoProportionTest"/>).
/// </summary>
public sealed class MetricAnalyzer(PrometheusClient prometheus)
{
    /// <summary>Reason of a threshold metric within its bounds.</summary>
    public const string WithinThreshold = "WithinThreshold";

    /// <summary>Reason of a threshold metric above its <c>max</c>.</summary>
    public const string AboveMax = "AboveMax";

    /// <summary>Reason of a threshold metric below its <c>min</c>.</summary>
    public const string BelowMin = "BelowMin";

    /// <summary>Reason of a query whose template could not be resolved.</summary>
    public const string InvalidQuery = "InvalidQuery";

    /// <summary>Measures <paramref name="metric"/> now.</summary>
    public async Task<Measurement> MeasureAsync(string address, AnalysisMetric metric, AnalysisTarget target, DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(target);
        try
        {
            return metric.Compare is { } compare
                ? await CompareAsync(address, metric.Name, compare, target, now, cancellationToken).ConfigureAwait(false)
                : await MeasureThresholdAsync(address, metric, target, now, cancellationToken).ConfigureAwait(false);
        }
        catch (FormatException e)
        {
            return new Measurement(metric.Name, AnalysisVerdicts.Error, InvalidQuery, double.NaN, metric.Query ?? metric.Compare?.SuccessQuery ?? "", e.Message, now);
        }
    }

    private async Task<Measurement> MeasureThresholdAsync(string address, AnalysisMetric metric, AnalysisTarget target, DateTime now, CancellationToken cancellationToken)
    {
        var query = QueryTemplate.Resolve(metric.Query ?? "", target.Context(null));
        var result = await prometheus.QueryAsync(address, query, cancellationToken).ConfigureAwait(false);
        if (result.Problem is { } problem)
        {
            return FromProblem(metric.Name, result, now);
        }

        var bounds = DescribeBounds(metric);
        var (verdict, reason) = result.Value > metric.Max ? (AnalysisVerdicts.Failed, AboveMax)
            : result.Value < metric.Min ? (AnalysisVerdicts.Failed, BelowMin)
            : (AnalysisVerdicts.Passed, WithinThreshold);
        var message = string.Create(CultureInfo.InvariantCulture, $"{metric.Name} = {result.Value:G6} ({bounds}) from {query}");
        return new Measurement(metric.Name, verdict, reason, result.Value, query, message, now);
    }

    private async Task<Measurement> CompareAsync(string address, string name, MetricComparison compare, AnalysisTarget target, DateTime now, CancellationToken cancellationToken)
    {
        var queries = new[]
        {
            QueryTemplate.Resolve(compare.SuccessQuery, target.Context(Tracks.Canary)),
            QueryTemplate.Resolve(compare.TotalQuery, target.Context(Tracks.Canary)),
            QueryTemplate.Resolve(compare.SuccessQuery, target.Context(Tracks.Stable)),
            QueryTemplate.Resolve(compare.TotalQuery, target.Context(Tracks.Stable)),
        };
        var results = await Task.WhenAll(queries.Select(q => prometheus.QueryAsync(address, q, cancellationToken))).ConfigureAwait(false);
        if ((results.FirstOrDefault(r => r.IsError) ?? results.FirstOrDefault(r => r.Problem is not null)) is { } failed)
        {
            return FromProblem(name, failed, now);
        }

        var settings = new ComparisonSettings(compare.MaxRelativeDrop ?? 0.02, compare.Confidence ?? 0.95, compare.MinSamples ?? 500);
        var outcome = TwoProportionTest.Compare(new(results[0].Value, results[1].Value), new(results[2].Value, results[3].Value), settings);
        var message = $"{name}: {TwoProportionTest.Describe(outcome)}; max relative drop {settings.MaxRelativeDrop.ToString(CultureInfo.InvariantCulture)} at confidence {settings.Confidence.ToString(CultureInfo.InvariantCulture)}";
        return new Measurement(name, outcome.Verdict, outcome.Reason, outcome.RelativeRate, queries[0], message, now);
    }

    private static Measurement FromProblem(string name, QueryResult result, DateTime now) =>
        new(name, result.IsError ? AnalysisVerdicts.Error : AnalysisVerdicts.Inconclusive, result.Problem!, result.Value, result.Query,
            $"{name}: {result.Message} from {result.Query}", now);

    private static string DescribeBounds(AnalysisMetric metric) => (metric.Min, metric.Max) switch
    {
        ({ } min, { } max) => string.Create(CultureInfo.InvariantCulture, $"allowed {min:G6}..{max:G6}"),
        (null, { } max) => string.Create(CultureInfo.InvariantCulture, $"max {max:G6}"),
        ({ } min, null) => string.Create(CultureInfo.InvariantCulture, $"min {min:G6}"),
        _ => "no bounds",
    };
}

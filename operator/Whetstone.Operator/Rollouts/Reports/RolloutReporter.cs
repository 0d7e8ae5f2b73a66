using System.Globalization;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Rollouts.Analysis;

namespace Whetstone.Operator.Rollouts.Reports;

/// <summary>
/// Measures each track's figures over a finished attempt in the Prometheus of spec.strategy.analysis, from the
/// serving metrics (labels <c>rollout</c>, <c>track</c>, <c>version</c>, as api.md's queries use them). Counters are
/// taken as each series' rise over the attempt (<c>max_over_time − min_over_time</c>, summed over pods), so traffic
/// from before the canary started does not count; P99 is <c>histogram_quantile</c> over the attempt's buckets.
/// </summary>
public sealed class RolloutReporter(PrometheusClient prometheus)
{
    /// <summary>All the report's queries together get this long; a report never holds the reconcile up for more.</summary>
    public static readonly TimeSpan QueryBudget = TimeSpan.FromSeconds(15);

    /// <summary>Builds the report of <paramref name="finished"/>; without analysis settings the figures are left out.</summary>
    public async Task<RolloutReport> ReportAsync(ModelRollout rollout, ModelRolloutStatus finished, string? stableVersion, DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        ArgumentNullException.ThrowIfNull(finished);
        var started = finished.StartTime ?? finished.AnalysisStartTime ?? now;
        var window = Math.Max(1, (int)Math.Ceiling((now - started).TotalSeconds));
        var tracks = new[] { (Tracks.Stable, stableVersion), (Tracks.Canary, finished.CanaryVersion) };
        if (rollout.Spec.Strategy.Analysis?.Prometheus?.Address is not { Length: > 0 } address)
        {
            return RolloutReports.Build(rollout, finished, stableVersion, [.. tracks.Select(t => new TrackFigures(t.Item1, t.Item2, null, null, null, null, null))],
                "no spec.strategy.analysis.prometheus: traffic figures were not measured", now);
        }

        var problems = new List<string>();
        var figures = new List<TrackFigures>();
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(QueryBudget);
        var unreachable = false;
        foreach (var (track, version) in tracks)
        {
            var labels = $"rollout=\"{Escape(rollout.Metadata.Name)}\",track=\"{track}\",version=\"{Escape(version ?? "")}\"";
            async Task<double?> Measure(string query)
            {
                if (unreachable)
                {
                    return null;
                }

                QueryResult result;
                try
                {
                    result = await prometheus.QueryAsync(address, query, budget.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    unreachable = true;
                    problems.Add($"Prometheus at {address} did not answer within {QueryBudget.TotalSeconds:0} s");
                    return null;
                }

                if (result.Problem is null && double.IsFinite(result.Value))
                {
                    return result.Value;
                }

                unreachable = result.Problem == QueryProblems.Unreachable;
                if (result.IsError)
                {
                    problems.Add($"{query}: {result.Message}");
                }

                return null;
            }

            figures.Add(new TrackFigures(
                track,
                version,
                await Measure(Rise($"whetstone_inference_requests_total{{{labels}}}", window)).ConfigureAwait(false),
                await Measure(Rise($"whetstone_inference_requests_total{{{labels},outcome=\"error\"}}", window)).ConfigureAwait(false),
                await Measure(Rise($"whetstone_north_star_attempts_total{{{labels}}}", window)).ConfigureAwait(false),
                await Measure(Rise($"whetstone_north_star_successes_total{{{labels}}}", window)).ConfigureAwait(false),
                await Measure(string.Create(CultureInfo.InvariantCulture,
                    $"histogram_quantile(0.99, sum by (le) (increase(whetstone_inference_request_duration_seconds_bucket{{{labels}}}[{window}s])))")).ConfigureAwait(false)));
        }

        var note = problems.Count == 0 ? null : "some figures could not be measured: " + string.Join("; ", problems.Take(3));
        return RolloutReports.Build(rollout, finished, stableVersion, figures, note, now);
    }

    private static string Rise(string selector, int window) => string.Create(CultureInfo.InvariantCulture,
        $"sum(max_over_time({selector}[{window}s]) - min_over_time({selector}[{window}s]))");

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}

using System.Globalization;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Rollouts.Analysis;

namespace Whetstone.Operator.Rollouts;

/// <summary>
/// Reads the serving load the autoscaler sizes by from Prometheus, from the series every <c>whetstone-worker serve</c>
/// exports (labelled with its rollout and track): requests in flight and the request duration histogram.
/// </summary>
public sealed class ServingLoadReader(PrometheusClient prometheus)
{
    /// <summary>The in-flight query for a label selector (a 30 s average, so one scrape's spike does not decide).</summary>
    public static string InFlightQuery(string selector) => $"sum(avg_over_time(whetstone_inference_requests_in_flight{selector}[30s]))";

    /// <summary>The P99 query, in milliseconds, for a label selector.</summary>
    public static string P99Query(string selector) =>
        $"histogram_quantile(0.99, sum by (le) (rate(whetstone_inference_request_duration_seconds_bucket{selector}[1m]))) * 1000";

    /// <summary>The label selector of a unit: the rollout, and the track unless the unit is the whole rollout.</summary>
    public static string Selector(string rollout, string unit) => unit == RolloutAutoscaler.AllTracks
        ? $"{{rollout=\"{rollout}\"}}"
        : $"{{rollout=\"{rollout}\",track=\"{unit}\"}}";

    /// <summary>Measures every unit due in <paramref name="units"/>.</summary>
    public async Task<IReadOnlyDictionary<string, TrackLoad>> ReadAsync(ModelRollout rollout, IReadOnlyList<string> units, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        ArgumentNullException.ThrowIfNull(units);
        var loads = new Dictionary<string, TrackLoad>(StringComparer.Ordinal);
        var autoscaling = rollout.Spec.Serving?.Autoscaling;
        var address = autoscaling?.Prometheus?.Address ?? rollout.Spec.Strategy.Analysis?.Prometheus.Address;
        if (autoscaling is null || units.Count == 0)
        {
            return loads;
        }

        foreach (var unit in units)
        {
            if (address is null)
            {
                loads[unit] = new TrackLoad(null, null, "no Prometheus address (spec.serving.autoscaling.prometheus)");
                continue;
            }

            var selector = Selector(rollout.Metadata.Name, unit);
            var problems = new List<string>();
            double? inFlight = null;
            double? p99 = null;
            if (autoscaling.TargetInFlightPerReplica is not null)
            {
                var result = await prometheus.QueryAsync(address, InFlightQuery(selector), cancellationToken).ConfigureAwait(false);
                if (result.Problem is null)
                {
                    inFlight = Math.Max(0, result.Value);
                }
                else
                {
                    problems.Add(Describe("requests in flight", result));
                }
            }

            if (autoscaling.TargetP99Ms is not null)
            {
                var result = await prometheus.QueryAsync(address, P99Query(selector), cancellationToken).ConfigureAwait(false);
                if (result.Problem is null || result.Problem == QueryProblems.NotANumber)
                {
                    // NaN: the series exist but no request ended in the last minute, so the pods are idle.
                    p99 = double.IsNaN(result.Value) ? 0 : result.Value;
                }
                else
                {
                    problems.Add(Describe("P99", result));
                }
            }

            loads[unit] = new TrackLoad(inFlight, p99, problems.Count == 0 ? null : string.Join("; ", problems));
        }

        return loads;
    }

    private static string Describe(string what, QueryResult result) => string.Create(CultureInfo.InvariantCulture,
        $"{what}: {result.Message ?? result.Problem}");
}

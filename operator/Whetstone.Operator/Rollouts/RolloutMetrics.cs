using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Rollouts.Analysis;
using Whetstone.Operator.Runtime.Metrics;

namespace Whetstone.Operator.Rollouts;

/// <summary>
/// The rollout instruments, on the operator's meter: <c>whetstone_rollout_phase</c> (1 for the current phase of each
/// rollout), <c>whetstone_rollout_canary_weight</c> (percent), <c>whetstone_rollout_analysis_results_total</c> (by
/// metric and verdict) and <c>whetstone_rollout_metric_value</c> (the last measured value of each metric).
/// </summary>
public sealed class RolloutMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Counter<long> _results;
    private readonly ConcurrentDictionary<(string Namespace, string Name), (string Phase, int Weight)> _rollouts = new();
    private readonly ConcurrentDictionary<(string Namespace, string Name, string Metric), double> _values = new();

    /// <summary>Creates the instruments.</summary>
    public RolloutMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(OperatorMetrics.MeterName) ?? new Meter(OperatorMetrics.MeterName);
        _results = _meter.CreateCounter<long>("whetstone.rollout.analysis.results", unit: null, description: "Analysis measurements by rollout, metric and verdict");
        _meter.CreateObservableGauge("whetstone.rollout.phase", () => _rollouts.SelectMany(r => RolloutPhases.All.Select(phase =>
            new Measurement<long>(phase == r.Value.Phase ? 1 : 0, Tag("namespace", r.Key.Namespace), Tag("rollout", r.Key.Name), Tag("phase", phase)))),
            unit: null, description: "1 for each rollout's current phase, 0 for the others");
        _meter.CreateObservableGauge("whetstone.rollout.canary.weight", () => _rollouts.Select(r =>
            new Measurement<long>(r.Value.Weight, Tag("namespace", r.Key.Namespace), Tag("rollout", r.Key.Name))),
            unit: null, description: "Percent of traffic on each rollout's canary");
        _meter.CreateObservableGauge("whetstone.rollout.metric.value", () => _values.Select(v =>
            new Measurement<double>(v.Value, Tag("namespace", v.Key.Namespace), Tag("rollout", v.Key.Name), Tag("metric", v.Key.Metric))),
            unit: null, description: "The last measured value of each analysis metric");
    }

    /// <summary>Records a rollout's phase and weight as persisted.</summary>
    public void Observe(ModelRollout rollout)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        _rollouts[(rollout.Metadata.NamespaceProperty, rollout.Metadata.Name)] = (rollout.Status?.Phase ?? RolloutPhases.Pending, rollout.Status?.CanaryWeight ?? 0);
    }

    /// <summary>Counts a measurement and keeps its value.</summary>
    public void RecordMeasurement(ModelRollout rollout, Measurement measurement)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        ArgumentNullException.ThrowIfNull(measurement);
        _results.Add(1, Tag("namespace", rollout.Metadata.NamespaceProperty), Tag("rollout", rollout.Metadata.Name), Tag("metric", measurement.Metric), Tag("verdict", measurement.Verdict));
        if (double.IsFinite(measurement.Value))
        {
            _values[(rollout.Metadata.NamespaceProperty, rollout.Metadata.Name, measurement.Metric)] = measurement.Value;
        }
    }

    /// <summary>Drops a deleted rollout's series.</summary>
    public void Forget(ModelRollout rollout)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        _rollouts.TryRemove((rollout.Metadata.NamespaceProperty, rollout.Metadata.Name), out _);
        foreach (var key in _values.Keys.Where(k => k.Namespace == rollout.Metadata.NamespaceProperty && k.Name == rollout.Metadata.Name))
        {
            _values.TryRemove(key, out _);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    private static KeyValuePair<string, object?> Tag(string key, string? value) => new(key, value);
}

namespace Whetstone.Evaluation.Scoring;

/// <summary>
/// One metric of one model on one suite, as a function of a list of item indices, so the same definition gives the
/// full-set value, a bootstrap resample's value and the clean-subset value.
/// </summary>
/// <param name="Name">Metric name (api.md: accuracy, recall.&lt;class&gt;, ...).</param>
/// <param name="Statistic">The metric over the items at the given indices (repeats allowed).</param>
/// <param name="Correct">Per-item correctness when the metric is a share of correct items (enables McNemar's test).</param>
/// <param name="HigherIsBetter">False for latencies.</param>
public sealed record MetricSeries(string Name, Func<IReadOnlyList<int>, double> Statistic, IReadOnlyList<bool>? Correct = null, bool HigherIsBetter = true);

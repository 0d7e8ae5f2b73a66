using Whetstone.Evaluation.Statistics;

namespace Whetstone.Evaluation.Scoring;

/// <summary>One metric of the model beside the baseline's, with the statistics a gate decides on.</summary>
/// <param name="Suite">Suite name.</param>
/// <param name="Metric">Metric name.</param>
/// <param name="Samples">Items the values were measured on.</param>
/// <param name="Value">The model's value with its bootstrap interval.</param>
/// <param name="Baseline">The baseline's value with its interval; null without a baseline.</param>
/// <param name="Delta">Model minus baseline, with the paired bootstrap interval; null without a baseline.</param>
/// <param name="McNemar">McNemar's test on per-item correctness; null when the metric is no share of correct items or there is no baseline.</param>
/// <param name="MinimumDetectableDelta">The smallest difference this many items detect (80 % power, α = 0.05); null without a baseline.</param>
/// <param name="HigherIsBetter">False for latencies.</param>
public sealed record ScoreComparison(
    string Suite,
    string Metric,
    int Samples,
    BootstrapInterval Value,
    BootstrapInterval? Baseline,
    BootstrapInterval? Delta,
    McNemarResult? McNemar,
    double? MinimumDetectableDelta,
    bool HigherIsBetter);

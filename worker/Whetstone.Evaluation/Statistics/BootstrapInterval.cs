namespace Whetstone.Evaluation.Statistics;

/// <summary>A percentile bootstrap interval of a statistic.</summary>
/// <param name="Estimate">The statistic on the full sample.</param>
/// <param name="Lower">The lower percentile of the resampled statistics.</param>
/// <param name="Upper">The upper percentile of the resampled statistics.</param>
/// <param name="Resampled">The statistic on every resample, in resample order (for one-sided p-values).</param>
public sealed record BootstrapInterval(double Estimate, double Lower, double Upper, IReadOnlyList<double> Resampled);

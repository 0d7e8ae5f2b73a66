namespace Whetstone.Compression.Quantization;

/// <summary>How static quantization picks an activation's range from the calibration outputs.</summary>
public enum CalibrationMethod
{
    /// <summary>The smallest and largest value seen (0 always inside the range).</summary>
    MinMax,

    /// <summary>The 0.01th and 99.99th percentiles: a few outliers no longer stretch the scale for everything else.</summary>
    Percentile,
}

using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>Dynamic batching of the inference server.</summary>
public sealed record BatchingSettings
{
    /// <summary>Most requests run in one forward pass.</summary>
    [Range(Minimum = 1, Maximum = 1024)]
    [DefaultValue(32)]
    public int? MaxBatchSize { get; set; }

    /// <summary>Longest a request waits for others to fill a batch, in milliseconds.</summary>
    [Range(Minimum = 0, Maximum = 10000)]
    [DefaultValue(5)]
    public int? MaxDelayMs { get; set; }
}

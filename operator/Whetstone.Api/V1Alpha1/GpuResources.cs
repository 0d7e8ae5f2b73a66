using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>GPUs for a worker pod.</summary>
public sealed record GpuResources
{
    /// <summary>Number of GPUs; 0 runs on CPU.</summary>
    [Range(Minimum = 0, Maximum = 64)]
    [DefaultValue(1)]
    public int? Count { get; set; }

    /// <summary>Extended resource name requested for the GPUs.</summary>
    [DefaultValue("nvidia.com/gpu")]
    [Length(Max = 253)]
    public string? ResourceName { get; set; }

    /// <summary>GPU product; becomes the node selector <c>nvidia.com/gpu.product</c> (such as <c>NVIDIA-H100-80GB-HBM3</c>).</summary>
    [Length(Max = 63)]
    [Pattern(Patterns.LabelValue)]
    public string? Product { get; set; }
}

using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>One compression step; exactly one action is set.</summary>
[CelRule("(has(self.prune) ? 1 : 0) + (has(self.distill) ? 1 : 0) + (has(self.quantize) ? 1 : 0) + (has(self.convert) ? 1 : 0) == 1",
    Message = "each step must set exactly one of prune, distill, quantize or convert")]
public sealed record CompressionStep
{
    /// <summary>Prune weights.</summary>
    public PruneStep? Prune { get; set; }

    /// <summary>Distill into a smaller student.</summary>
    public DistillStep? Distill { get; set; }

    /// <summary>Quantize to int8 or fp16.</summary>
    public QuantizeStep? Quantize { get; set; }

    /// <summary>Convert to ONNX.</summary>
    public ConvertStep? Convert { get; set; }
}

using Whetstone.Compression.Alignment;

namespace Whetstone.Compression;

/// <summary>What one step did and where its output stands against the original.</summary>
/// <param name="Index">0-based position in the spec's steps.</param>
/// <param name="Name">prune, distill, quantize or convert.</param>
/// <param name="Note">What the step did, in words (an export first, a no-op, which layers stayed FP32).</param>
/// <param name="Duration">Wall time of the step, its measurements included.</param>
/// <param name="Directory">The step's output model directory.</param>
/// <param name="Format">whetstone or onnx.</param>
/// <param name="Figures">The output's size, speed and metric.</param>
/// <param name="Alignment">The output against the original.</param>
public sealed record StepOutcome(int Index, string Name, string Note, TimeSpan Duration, string Directory, string Format, ModelFigures Figures, AlignmentFigures Alignment)
{
    /// <summary>Figures only this kind of step has (prune: sparsity, parameters before, non-zero parameters, …), for <c>status.steps[].metrics</c>.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
}

using System.Globalization;

namespace Whetstone.Compression.Bench;

/// <summary>
/// The targets on the measured rows. Speed ratios are FP32 ONNX Runtime p50 over the variant's p50, at batch
/// 1 and 8; a speed target is met only when both batch sizes meet it. "Points" of accuracy: the pipeline's own drop
/// times 100 (digits: test accuracy; Llama: the relative perplexity rise on the held-out texts).
/// </summary>
internal static class Targets
{
    public static IReadOnlyList<TargetRow> Evaluate(VariantRow llamaOnnx, VariantRow llamaInt8, VariantRow llamaPruned, VariantRow llamaStudent, VariantRow digitsOnnx, VariantRow digitsInt8)
    {
        var targets = new List<TargetRow>();
        foreach (var (baseline, int8) in new[] { (llamaOnnx, llamaInt8), (digitsOnnx, digitsInt8) })
        {
            targets.Add(Speed(int8.Model, "INT8 dynamic >= 2.5x faster than FP32 ONNX Runtime", baseline, int8, 2.5));
            var share = (double)int8.Speed.WeightBytes / baseline.Speed.WeightBytes;
            targets.Add(new TargetRow(int8.Model, "INT8 dynamic weights <= 27 % of FP32", Invariant($"{share * 100:F1} % ({int8.Speed.WeightBytes:N0} of {baseline.Speed.WeightBytes:N0} bytes)"), share <= 0.27));
            targets.Add(Drop(int8, "INT8 dynamic accuracy drop <= 1 point", 1));
        }
        targets.Add(Speed("llama", "structured 30 % + recovery >= 1.25x faster (FP32 ONNX both)", llamaOnnx, llamaPruned, 1.25));
        targets.Add(Drop(llamaPruned, "structured 30 % + recovery within 2 points", 2));
        targets.Add(Speed("llama", "distilled student >= 2x faster than its teacher (FP32 ONNX both)", llamaOnnx, llamaStudent, 2));
        targets.Add(Drop(llamaStudent, "distilled student within 2 points of its teacher", 2));
        return targets;
    }

    private static TargetRow Speed(string model, string target, VariantRow baseline, VariantRow variant, double bound)
    {
        var b1 = baseline.Speed.Batch1.Latency.P50Ms / variant.Speed.Batch1.Latency.P50Ms;
        var b8 = baseline.Speed.Batch8.Latency.P50Ms / variant.Speed.Batch8.Latency.P50Ms;
        var cpu1 = baseline.Speed.CpuMs1 / variant.Speed.CpuMs1;
        var cpu8 = baseline.Speed.CpuMs8 / variant.Speed.CpuMs8;
        return new TargetRow(model, target, Invariant($"{b1:F2}x at batch 1, {b8:F2}x at batch 8 (p50); CPU time per call {cpu1:F2}x, {cpu8:F2}x"), Math.Min(b1, b8) >= bound);
    }

    private static TargetRow Drop(VariantRow variant, string target, double points)
    {
        var alignment = variant.Alignment ?? throw new InvalidOperationException($"{variant.Variant}: no alignment figures");
        var measured = alignment.Metric == "perplexity"
            ? Invariant($"perplexity {alignment.Original:F3} -> {alignment.Compressed:F3}, rise {alignment.Drop * 100:F2} points (top-1 agreement {alignment.TopOneAgreement:P1})")
            : Invariant($"{alignment.Metric} {alignment.Original:F4} -> {alignment.Compressed:F4}, drop {alignment.Drop * 100:F2} points");
        return new TargetRow(variant.Model, target, measured, alignment.Drop * 100 <= points + 1e-9);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

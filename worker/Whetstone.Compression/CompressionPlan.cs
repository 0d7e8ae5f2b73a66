using Whetstone.Api.V1Alpha1;

namespace Whetstone.Compression;

/// <summary>The steps to run and how alignment judges and repairs the result.</summary>
/// <param name="Steps">The spec's steps, in order.</param>
/// <param name="Metric">accuracy, f1 or perplexity (perplexity is used for text data whatever is asked: it is the only metric text has).</param>
/// <param name="MaxDrop">Largest allowed drop of the metric (perplexity: relative rise).</param>
/// <param name="MinCosine">Smallest allowed mean cosine of the logits.</param>
/// <param name="Fallback">Keep the worst layer in FP32 and measure again while not aligned.</param>
/// <param name="MaxFallbackTries">Bound on fallback tries.</param>
public sealed record CompressionPlan(IReadOnlyList<CompressionStep> Steps, string Metric, double MaxDrop, double MinCosine, bool Fallback, int MaxFallbackTries)
{
    /// <summary>Problems that make the plan impossible to run, each naming its field; empty when it can run.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        for (var i = 0; i < Steps.Count; i++)
        {
            var step = Steps[i];
            var field = $"spec.steps[{i}]";
            var set = (step.Prune is null ? 0 : 1) + (step.Distill is null ? 0 : 1) + (step.Quantize is null ? 0 : 1) + (step.Convert is null ? 0 : 1);
            if (set != 1)
            {
                problems.Add($"{field}: exactly one of prune, distill, quantize or convert must be set");
            }
            else if (step.Prune is { } prune && (prune.Method ?? "magnitude") != "magnitude")
            {
                problems.Add($"{field}.prune.method: '{prune.Method}' is not magnitude");
            }
            else if (step.Prune is { } p && (p.Sparsity is not { } sparsity || double.IsNaN(sparsity) || sparsity < 0 || sparsity >= 1))
            {
                problems.Add($"{field}.prune.sparsity: required, a fraction in [0, 1) (got {(p.Sparsity?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing")})");
            }
            else if (step.Prune is not null && Steps.Take(i).Any(s => s.Quantize is not null || s.Convert is not null))
            {
                problems.Add($"{field}.prune: prune must come before quantize and convert (after them the model is an ONNX graph)");
            }
            else if (step.Distill is not null && Steps.Take(i).Any(s => s.Quantize is not null || s.Convert is not null))
            {
                problems.Add($"{field}.distill: distill must come before quantize and convert (after them the model is an ONNX graph)");
            }
            else if (step.Distill is { } distill && DistillProblem(distill, field + ".distill") is { } problem)
            {
                problems.Add(problem);
            }
            else if (step.Prune?.Recovery is { } recovery && RecoveryProblem(recovery, field + ".prune.recovery") is { } recoveryProblem)
            {
                problems.Add(recoveryProblem);
            }
            else if (step.Quantize is { } quantize && quantize.Mode == "static" && quantize.Type != "int8")
            {
                problems.Add($"{field}.quantize.mode: static is only supported for type int8");
            }
            else if (step.Quantize is { CalibrationMethod: { } method } && method is not ("minMax" or "percentile"))
            {
                problems.Add($"{field}.quantize.calibrationMethod: '{method}' is not minMax or percentile");
            }
            else if (step.Quantize is { } q && q.Type is not ("int8" or "fp16"))
            {
                problems.Add($"{field}.quantize.type: '{q.Type}' is not int8 or fp16");
            }
            else if (step.Convert is { } convert && convert.Format != "onnx")
            {
                problems.Add($"{field}.convert.format: '{convert.Format}' is not onnx");
            }
            else if (step.Convert is { Opset: { } opset } && opset is < 13 or > 17)
            {
                problems.Add($"{field}.convert.opset: {opset} is outside what the exporter writes (13 to 17)");
            }
        }
        if (Steps.Count == 0)
        {
            problems.Add("spec.steps: at least one step is required");
        }
        return problems;
    }

    private static string? DistillProblem(DistillStep distill, string field) =>
        (distill.Student is null) == (distill.StudentModel is null) ? $"{field}: exactly one of student or studentModel must be set"
        : distill.Student is { Layers: null or < 1 } ? $"{field}.student.layers: required, at least 1"
        : DatasetProblem(distill.Dataset, field + ".dataset")
        ?? (distill.Temperature is { } t && !(t > 0) ? $"{field}.temperature: must be greater than 0 (got {Invariant(t)})"
        : distill.Alpha is { } a && !(a >= 0 && a <= 1) ? $"{field}.alpha: a weight in [0, 1] (got {Invariant(a)})"
        : distill.Epochs is < 1 ? $"{field}.epochs: at least 1 (got {distill.Epochs})"
        : distill.LearningRate is { } rate && !(rate > 0) ? $"{field}.learningRate: must be greater than 0 (got {Invariant(rate)})"
        : null);

    private static string? RecoveryProblem(PruneRecovery recovery, string field) =>
        DatasetProblem(recovery.Dataset, field + ".dataset")
        ?? (recovery is { Epochs: not null, Steps: not null } ? $"{field}: set epochs or steps, not both"
        : recovery.Epochs is < 1 ? $"{field}.epochs: at least 1 (got {recovery.Epochs})"
        : recovery.Steps is < 1 ? $"{field}.steps: at least 1 (got {recovery.Steps})"
        : recovery.LearningRate is { } rate && !(rate > 0) ? $"{field}.learningRate: must be greater than 0 (got {Invariant(rate)})"
        : null);

    private static string? DatasetProblem(DatasetSource? dataset, string field) =>
        dataset is null || (dataset.Uri is null && dataset.FineTuneJobRef is null)
            ? $"{field}: required (a uri or a fineTuneJobRef): the step trains on these records"
            : null;

    private static string Invariant(double value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

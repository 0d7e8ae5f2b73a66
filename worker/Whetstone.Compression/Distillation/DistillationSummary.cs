using System.Globalization;
using Whetstone.ML.Models;
using Whetstone.ML.Training;

namespace Whetstone.Compression.Distillation;

/// <summary>What a distillation did: the two models' sizes, the student's shape and the training run.</summary>
/// <param name="TeacherParameters">Parameters of the teacher.</param>
/// <param name="StudentParameters">Parameters of the student.</param>
/// <param name="Student">The student's configuration.</param>
/// <param name="StudentOrigin">How the student started ("initialised from teacher layers 0, 3", or the given model).</param>
/// <param name="Options">The temperature, alpha and training options used.</param>
/// <param name="Result">The trainer's result (train loss is the distillation objective, validation loss the cross-entropy).</param>
public sealed record DistillationSummary(long TeacherParameters, long StudentParameters, LlamaConfig Student, string StudentOrigin, DistillationOptions Options, TrainingResult Result)
{
    /// <summary>Epochs the run covered (steps over steps per epoch), fractional when it stopped early or ran a step limit.</summary>
    public double Epochs { get; init; }

    /// <summary>The figures for <c>status.steps[].metrics</c>.</summary>
    public IReadOnlyDictionary<string, double> Metrics()
    {
        var metrics = new Dictionary<string, double>
        {
            ["distillLoss"] = Round(Result.FinalTrainLoss ?? double.NaN),
            ["studentParameters"] = StudentParameters,
            ["teacherParameters"] = TeacherParameters,
            ["epochs"] = Math.Round(Epochs, 3),
            ["steps"] = Result.Step,
            ["temperature"] = Options.Temperature,
            ["alpha"] = Options.Alpha,
        };
        if (Result.FinalValidationLoss is { } validation)
        {
            metrics["validationLoss"] = Round(validation);
        }
        if (Result.ResumedFromStep is { } resumed)
        {
            metrics["resumedFromStep"] = resumed;
        }
        return metrics;
    }

    /// <summary>The step's note.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"distilled a student of {Student.NumHiddenLayers} layers, hidden {Student.HiddenSize}, {Student.NumAttentionHeads} heads ({Student.KeyValueHeads} key/value), {Student.IntermediateSize} MLP channels ({StudentParameters:N0} parameters, teacher {TeacherParameters:N0}; {StudentOrigin}) at T {Options.Temperature:G3}, alpha {Options.Alpha:G3}: {Result.Step} steps ({Epochs:G3} epochs{(Result.ResumedFromStep is { } from ? $", resumed at step {from}" : "")}{(Result.StopReason == TrainingStopReason.EarlyStopped ? ", stopped early" : "")}), distillation loss {Result.FinalTrainLoss:F4}, validation cross-entropy {(Result.FinalValidationLoss is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "not measured")}");

    // Metrics are JSON numbers: NaN (no step ran) is written as -1 rather than breaking the status patch.
    private static double Round(double value) => double.IsFinite(value) ? Math.Round(value, 6) : -1;
}

using System.Diagnostics;
using Whetstone.ML.Benchmarks;
using Whetstone.ML.Classifiers;
using Whetstone.ML.Models.Pretraining;
using Whetstone.Onnx;

namespace Whetstone.ModelRuntime.Bench;

/// <summary>The models the benchmark runs, created on demand under a work directory and reused when present.</summary>
internal sealed record BenchModels(string LanguageTorch, string LanguageOnnx, string ClassifierTorch, string ClassifierOnnx)
{
    public static BenchModels Prepare(string workDirectory, int steps, string digitsCsv)
    {
        var models = new BenchModels(
            Path.Combine(workDirectory, "bench-llama"),
            Path.Combine(workDirectory, "bench-llama-onnx"),
            Path.Combine(workDirectory, "digits"),
            Path.Combine(workDirectory, "digits-onnx"));
        if (!File.Exists(Path.Combine(models.LanguageTorch, BaseModelBuilder.ReportFileName)))
        {
            var clock = Stopwatch.StartNew();
            var recipe = BenchBaseModel.Size with { Training = BenchBaseModel.Size.Training with { Steps = steps } };
            var report = BaseModelBuilder.Build(models.LanguageTorch, recipe, seed: 1);
            Console.WriteLine($"built the bench model: {report.Parameters:N0} parameters, {steps} pre-training steps, in {clock.Elapsed.TotalSeconds:F0} s");
        }
        ExportIfMissing(models.LanguageTorch, models.LanguageOnnx);
        if (!File.Exists(Path.Combine(models.ClassifierTorch, "model.safetensors")))
        {
            var table = LabelledTable.ReadCsv(digitsCsv);
            var result = ClassifierTrainer.Train(table, ClassifierTrainingOptions.Default with { Seed = 1 });
            using var model = result.Model;
            model.Save(models.ClassifierTorch);
            Console.WriteLine($"trained the digits classifier: test accuracy {result.Test.Accuracy:P1}, {result.EpochsRun} epochs, {result.Elapsed.TotalSeconds:F0} s");
        }
        ExportIfMissing(models.ClassifierTorch, models.ClassifierOnnx);
        return models;
    }

    private static void ExportIfMissing(string source, string output)
    {
        if (!File.Exists(Path.Combine(output, ModelLoader.OnnxFileName)))
        {
            OnnxExporter.Export(source, output);
        }
    }
}

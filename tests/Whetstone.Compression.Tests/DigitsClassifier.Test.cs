using System.Globalization;
using Whetstone.Api.V1Alpha1;
using Whetstone.Compression.Alignment;
using Whetstone.Compression.Quantization;
using Whetstone.ML.Classifiers;
using Xunit.Abstractions;

namespace Whetstone.Compression.Tests;

public sealed class DigitsClassifierTest(ITestOutputHelper output)
{
    private static readonly ClassifierTrainingOptions QuickOptions =
        ClassifierTrainingOptions.Default with { HiddenSizes = [64], Epochs = 15, BatchSize = 64, LearningRate = 3e-3, Seed = 2 };

    [Fact]
    public void Int8_dynamic_of_the_digits_classifier_keeps_test_accuracy_within_one_point_of_fp32()
    {
        using var work = new TemporaryDirectory();
        var table = LabelledTable.ReadCsv(RepositoryFiles.Digits);
        var trained = ClassifierTrainer.Train(table, QuickOptions);
        using (trained.Model)
        {
            trained.Model.Save(work.File("fp32"));
        }
        var testCsv = WriteCsv(table.Subset(trained.Split.Test), work.File("test.csv"));
        var set = EvaluationSet.Read(testCsv, null, maxRecords: 1000);
        var plan = new CompressionPlan(
            [new CompressionStep { Quantize = new QuantizeStep { Type = "int8" } }],
            "accuracy", 0.01, 0.99, Fallback: false, MaxFallbackTries: 1);

        var outcome = new CompressionPipeline(plan, set, work.File("steps"), new RecordingObserver(output)).Run(work.File("fp32"));

        Assert.Equal(EvaluationTask.Classification, outcome.Task);
        Assert.Equal(trained.Split.Test.Count, outcome.EvaluationRecords);
        Assert.Equal(trained.Test.Accuracy, outcome.Original.Accuracy!.Value, 6);
        Assert.True(outcome.Alignment.Drop <= 0.01, $"accuracy {outcome.Alignment.Original:F4} -> {outcome.Alignment.Compressed:F4}");
        Assert.True(outcome.Alignment.Cosine >= 0.99, $"cosine {outcome.Alignment.Cosine:F5}");
        Assert.NotNull(outcome.Compressed.F1);
        Assert.True(outcome.Aligned);
        // One hidden layer and the output layer, both Gemm (x @ W^T + b) in the export.
        Assert.Contains("2 MatMul/Gemm layers int8", outcome.Steps[0].Note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("minMax")]
    [InlineData("percentile")]
    public void Static_int8_of_the_digits_classifier_calibrated_on_the_training_rows_keeps_test_accuracy_within_one_point(string method)
    {
        using var work = new TemporaryDirectory();
        var table = LabelledTable.ReadCsv(RepositoryFiles.Digits);
        var trained = ClassifierTrainer.Train(table, QuickOptions);
        using (trained.Model)
        {
            trained.Model.Save(work.File("fp32"));
        }
        var evaluation = EvaluationSet.Read(WriteCsv(table.Subset(trained.Split.Test), work.File("test.csv")), null, maxRecords: 1000);
        var calibration = EvaluationSet.Read(WriteCsv(table.Subset(trained.Split.Train), work.File("train.csv")), null, maxRecords: 500);
        var plan = new CompressionPlan(
            [new CompressionStep { Quantize = new QuantizeStep { Type = "int8", Mode = "static", CalibrationMethod = method } }],
            "accuracy", 0.01, 0.99, Fallback: false, MaxFallbackTries: 1);

        var outcome = new CompressionPipeline(plan, evaluation, work.File("steps"), new RecordingObserver(output)) { Calibration = calibration }.Run(work.File("fp32"));

        Assert.Contains("int8 static: 2 MatMul/Gemm layers", outcome.Steps[0].Note, StringComparison.Ordinal);
        Assert.True(outcome.Alignment.Drop <= 0.01, $"accuracy {outcome.Alignment.Original:F4} -> {outcome.Alignment.Compressed:F4}");
        Assert.True(outcome.Alignment.Cosine >= 0.99, $"cosine {outcome.Alignment.Cosine:F5}");
        Assert.True(outcome.Aligned);
    }

    [Fact]
    public void Static_activation_scale_and_zero_point_follow_the_onnx_definition()
    {
        var (scale, zeroPoint) = Int8StaticQuantizer.ScaleAndZeroPoint(-1f, 3f);
        Assert.Equal(4f / 255f, scale);
        Assert.Equal(64, zeroPoint); // round(1 / (4/255)) = round(63.75)
        Assert.Equal((1f, (byte)0), Int8StaticQuantizer.ScaleAndZeroPoint(0f, 0f));
        Assert.Equal((0f, 2f), ActivationRanges.RangeOf([0.5f, 2f, 1f], CalibrationMethod.MinMax));
    }

    private static string WriteCsv(LabelledTable table, string path)
    {
        var lines = new List<string> { string.Join(",", table.FeatureNames.Append("label")) };
        lines.AddRange(table.Features.Select((row, i) => string.Join(",", row.Select(v => v.ToString(CultureInfo.InvariantCulture)).Append(table.Labels[table.Classes[i]]))));
        File.WriteAllLines(path, lines);
        return path;
    }
}

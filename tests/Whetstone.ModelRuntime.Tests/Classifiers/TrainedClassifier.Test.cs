using Whetstone.ML.Classifiers;
using Whetstone.Onnx;

namespace Whetstone.ModelRuntime.Tests.Classifiers;

public sealed class TrainedClassifierTest
{
    private static readonly ClassifierTrainingOptions QuickOptions =
        ClassifierTrainingOptions.Default with { HiddenSizes = [32], Epochs = 5, BatchSize = 64, LearningRate = 3e-3, Seed = 2 };

    [Fact]
    public void A_saved_classifier_loads_through_the_model_loader_and_predicts_what_the_trained_module_predicts()
    {
        using var directory = new TemporaryDirectory();
        var table = LabelledTable.ReadCsv(Path.Combine(RepositoryFiles.Root, "examples", "datasets", "digits", "digits.csv"));
        var result = ClassifierTrainer.Train(table, QuickOptions);
        using var model = result.Model;
        var source = directory.File("torch");
        model.Save(source);
        var test = table.Subset(result.Split.Test).Features;

        using var torch = ModelLoader.LoadClassifier(source, new RuntimeOptions(Threads: 1));
        var expected = model.Score(test);
        var loaded = torch.Score(test, batchSize: 50);
        var exported = OnnxExporter.Export(source, directory.File("onnx"));
        using var ort = ModelLoader.LoadClassifier(Path.GetDirectoryName(exported)!, new RuntimeOptions(Threads: 1));
        var onnx = ort.Score(test, batchSize: 64);

        Assert.Equal(RuntimeBackend.TorchSharp, torch.Description.Backend);
        Assert.Equal(RuntimeBackend.OnnxRuntime, ort.Description.Backend);
        Assert.Equal(table.Labels, torch.Labels);
        Assert.Equal(test.Count, onnx.Count);
        for (var i = 0; i < test.Count; i++)
        {
            Assert.Equal(ArgMax(expected[i]), ArgMax(loaded[i]));
            Assert.Equal(ArgMax(loaded[i]), ArgMax(onnx[i]));
            Assert.True(expected[i].Zip(loaded[i], (a, b) => Math.Abs(a - b)).Max() < 1e-5, $"row {i}: module vs loaded");
            Assert.True(loaded[i].Zip(onnx[i], (a, b) => Math.Abs(a - b)).Max() < 1e-4, $"row {i}: TorchSharp vs ONNX Runtime");
        }
    }

    private static int ArgMax(float[] values) => Array.IndexOf(values, values.Max());
}

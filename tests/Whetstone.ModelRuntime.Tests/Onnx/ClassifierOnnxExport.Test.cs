using System.Text.Json;
using Whetstone.ML.Classifiers;
using Whetstone.ML.Safetensors;
using Whetstone.Onnx;
using static TorchSharp.torch;

namespace Whetstone.ModelRuntime.Tests.Onnx;

public sealed class ClassifierOnnxExportTest
{
    [Fact]
    public void An_exported_classifier_gives_the_torchsharp_logits_and_passes_the_checker()
    {
        using var directory = new TemporaryDirectory();
        var source = Path.Combine(directory.Path, "classifier");
        Directory.CreateDirectory(source);
        var config = new ClassifierConfig
        {
            InputSize = 8,
            HiddenSizes = [16, 12],
            Labels = ["a", "b", "c"],
            InputMean = [.. Enumerable.Range(0, 8).Select(i => i * 0.5f)],
            InputScale = [.. Enumerable.Range(0, 8).Select(i => 1f + i)],
        };
        File.WriteAllText(Path.Combine(source, "config.json"), JsonSerializer.Serialize(config));
        manual_seed(3);
        SafetensorsWriter.Write(Path.Combine(source, "model.safetensors"),
        [
            ("layers.0.weight", randn(16, 8)), ("layers.0.bias", randn(16)),
            ("layers.1.weight", randn(12, 16)), ("layers.1.bias", randn(12)),
            ("layers.2.weight", randn(3, 12)), ("layers.2.bias", randn(3)),
        ]);
        var exported = Path.Combine(directory.Path, "onnx");
        OnnxExporter.Export(source, exported);
        var random = new Random(8);
        var inputs = Enumerable.Range(0, 50).Select(_ => Enumerable.Range(0, 8).Select(_ => (float)(random.NextDouble() * 16)).ToArray()).ToList();

        using var torch = ModelLoader.LoadClassifier(source, new RuntimeOptions(Threads: 1));
        using var ort = ModelLoader.LoadClassifier(exported, new RuntimeOptions(Threads: 1));
        var expected = torch.Score(inputs);
        var actual = ort.Score(inputs, batchSize: 7);

        ExportedModels.CheckWithOnnxChecker(Path.Combine(exported, OnnxModelFiles.ModelFileName));
        Assert.Equal(RuntimeBackend.OnnxRuntime, ort.Description.Backend);
        for (var i = 0; i < inputs.Count; i++)
        {
            Assert.Equal(Array.IndexOf(expected[i], expected[i].Max()), Array.IndexOf(actual[i], actual[i].Max()));
            Assert.True(expected[i].Zip(actual[i], (a, b) => Math.Abs(a - b)).Max() < 1e-4, $"input {i}");
        }
    }
}

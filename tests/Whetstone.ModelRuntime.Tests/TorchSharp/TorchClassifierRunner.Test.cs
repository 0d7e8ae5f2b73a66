using System.Text.Json;
using Whetstone.ML.Classifiers;
using Whetstone.ML.Models;
using Whetstone.ML.Safetensors;
using static TorchSharp.torch;

namespace Whetstone.ModelRuntime.Tests.TorchSharp;

public sealed class TorchClassifierRunnerTest
{
    [Fact]
    public void Logits_equal_a_hand_computation_of_the_normalised_mlp()
    {
        using var directory = new TemporaryDirectory();
        var random = new Random(4);
        float[] Values(int n) => [.. Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1))];
        var config = new ClassifierConfig
        {
            InputSize = 3,
            HiddenSizes = [4],
            Labels = ["cat", "dog"],
            InputMean = [0.5f, -1f, 2f],
            InputScale = [2f, 0.5f, 4f],
        };
        var w0 = Values(12); var b0 = Values(4); var w1 = Values(8); var b1 = Values(2);
        File.WriteAllText(directory.File("config.json"), JsonSerializer.Serialize(config));
        SafetensorsWriter.Write(directory.File("model.safetensors"),
        [
            ("layers.0.weight", tensor(w0).view(4, 3)), ("layers.0.bias", tensor(b0)),
            ("layers.1.weight", tensor(w1).view(2, 4)), ("layers.1.bias", tensor(b1)),
        ]);
        float[] input = [1.5f, 0f, -2f];

        using var runner = ModelLoader.LoadClassifier(directory.Path, new RuntimeOptions(Threads: 1));
        var logits = runner.Score([input])[0];

        var x = input.Select((v, i) => (v - config.InputMean[i]) / config.InputScale[i]).ToArray();
        var hidden = Enumerable.Range(0, 4).Select(o => Math.Max(0, b0[o] + Enumerable.Range(0, 3).Sum(i => w0[o * 3 + i] * x[i]))).ToArray();
        var expected = Enumerable.Range(0, 2).Select(o => b1[o] + Enumerable.Range(0, 4).Sum(i => w1[o * 4 + i] * hidden[i])).ToArray();
        Assert.Equal(ModelKind.Classifier, runner.Description.Kind);
        Assert.Equal(["cat", "dog"], runner.Labels);
        Assert.Equal(expected[0], logits[0], 5);
        Assert.Equal(expected[1], logits[1], 5);
    }

    [Fact]
    public void A_weight_of_the_wrong_shape_is_named()
    {
        using var directory = new TemporaryDirectory();
        var config = new ClassifierConfig { InputSize = 2, Labels = ["a", "b"], InputMean = [0, 0], InputScale = [1, 1] };
        File.WriteAllText(directory.File("config.json"), JsonSerializer.Serialize(config));
        SafetensorsWriter.Write(directory.File("model.safetensors"), [("layers.0.weight", zeros(3, 2)), ("layers.0.bias", zeros(2))]);

        var error = Assert.Throws<ModelFormatException>(() => ModelLoader.Load(directory.Path, new RuntimeOptions(Threads: 1)));
        Assert.Contains("layers.0.weight", error.Message, StringComparison.Ordinal);
    }
}

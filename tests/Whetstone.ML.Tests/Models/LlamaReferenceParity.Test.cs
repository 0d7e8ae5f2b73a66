using System.Text.Json;
using Whetstone.ML.Models;
using Whetstone.ML.Safetensors;
using Whetstone.ML.Tests.Python;
using static TorchSharp.torch;

namespace Whetstone.ML.Tests.Models;

public sealed class LlamaReferenceParityTest
{
    private static readonly long[][] InputIds =
    [
        [1, 5, 17, 42, 8, 91, 33, 60, 2],
        [0, 0, 0, 1, 44, 9, 71, 12, 3],
    ];

    private static readonly long[][] LeftPaddedMask =
    [
        [1, 1, 1, 1, 1, 1, 1, 1, 1],
        [0, 0, 0, 1, 1, 1, 1, 1, 1],
    ];

    public static TheoryData<string> Architectures => new() { "grouped-query", "tied-multi-head" };

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Logits_match_an_independent_pytorch_implementation_within_1e4(string architecture)
    {
        var config = architecture == "grouped-query" ? TinyConfigs.GroupedQuery : TinyConfigs.TiedMultiHead;
        using var directory = new TemporaryDirectory();
        using var model = TinyConfigs.Create(config);
        LlamaCheckpoint.Save(model, directory.Path);

        var (expected, actual) = CompareWithReference(model, directory, LeftPaddedMask);

        // Padding rows are not compared: only real tokens have defined outputs.
        using var real = tensor(LeftPaddedMask.SelectMany(r => r).ToArray()).view(2, 9, 1).to(ScalarType.Bool);
        var difference = (expected - actual).abs().masked_fill(real.logical_not(), 0).max().item<float>();
        Assert.True(difference < 1e-4f, $"max abs difference {difference}");
        Assert.True(expected.abs().max().item<float>() > 0.1f, "logits are large enough for the comparison to mean something");
    }

    [Fact]
    public void Logits_without_a_mask_match_the_reference()
    {
        using var directory = new TemporaryDirectory();
        using var model = TinyConfigs.Create(TinyConfigs.GroupedQuery, seed: 11);
        LlamaCheckpoint.Save(model, directory.Path);

        var (expected, actual) = CompareWithReference(model, directory, mask: null);

        Assert.True((expected - actual).abs().max().item<float>() < 1e-4f);
    }

    private static (Tensor Expected, Tensor Actual) CompareWithReference(LlamaForCausalLM model, TemporaryDirectory directory, long[][]? mask)
    {
        File.WriteAllText(directory.File("input.json"), JsonSerializer.Serialize(new { input_ids = InputIds, attention_mask = mask }));
        PythonScripts.Run("llama_reference.py", directory.Path, directory.File("input.json"), directory.File("logits.safetensors"));

        using var reader = SafetensorsReader.Open(directory.File("logits.safetensors"));
        var expected = reader.ReadTensor("logits");
        using var noGrad = no_grad();
        using var ids = tensor(InputIds.SelectMany(r => r).ToArray()).view(2, 9);
        using var attention = mask is null ? null : tensor(mask.SelectMany(r => r).ToArray()).view(2, 9);
        var actual = model.Forward(ids, attention);
        Assert.Equal(expected.shape, actual.shape);
        return (expected, actual);
    }
}

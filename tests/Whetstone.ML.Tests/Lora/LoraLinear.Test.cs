using TorchSharp;
using Whetstone.ML.Lora;
using Whetstone.ML.Tests.Training;
using static TorchSharp.torch;

namespace Whetstone.ML.Tests.Lora;

[Collection(TorchRandomCollection.Name)]
public sealed class LoraLinearTest
{
    private static readonly LoraOptions Options = new(Rank: 4, Alpha: 8, Dropout: 0.0, TargetModules: ["q_proj"]);

    [Fact]
    public void A_new_adapter_leaves_the_layer_output_unchanged()
    {
        manual_seed(1);
        var linear = nn.Linear(6, 5);
        using var input = randn(3, 6);
        using var before = linear.call(input);
        var lora = new LoraLinear(linear, Options);
        using var after = lora.call(input);
        Assert.True(before.allclose(after));
    }

    [Fact]
    public void The_adapter_adds_alpha_over_rank_times_B_A_x_and_freezes_the_base()
    {
        manual_seed(2);
        var linear = nn.Linear(6, 5);
        var lora = new LoraLinear(linear, Options);
        using (no_grad())
        {
            lora.LoraB.weight.normal_();
        }

        using var input = randn(3, 6);
        using var expected = linear.call(input) + (2.0 * input.matmul(lora.LoraA.weight.t()).matmul(lora.LoraB.weight.t()));
        using var actual = lora.call(input);
        Assert.True(expected.allclose(actual, rtol: 1e-5, atol: 1e-6));
        Assert.False(linear.weight.requires_grad);
        Assert.True(lora.LoraA.weight.requires_grad && lora.LoraB.weight.requires_grad);
        Assert.Equal(4 * (6 + 5), lora.AdapterParameterCount);
        Assert.Equal([4L, 6], lora.LoraA.weight.shape);
        Assert.Equal([5L, 4], lora.LoraB.weight.shape);
    }

    [Fact]
    public void Dropout_only_applies_while_training()
    {
        manual_seed(3);
        var lora = new LoraLinear(nn.Linear(8, 8), Options with { Dropout = 0.5 });
        using (no_grad())
        {
            lora.LoraB.weight.normal_();
        }

        using var input = randn(4, 8);
        lora.eval();
        using var first = lora.call(input);
        using var second = lora.call(input);
        Assert.True(first.allclose(second, rtol: 0, atol: 0));
        lora.train();
        using var dropped = lora.call(input);
        Assert.False(first.allclose(dropped));
    }

    [Theory]
    [InlineData(0, 16, 0.0, "rank")]
    [InlineData(8, 0, 0.0, "alpha")]
    [InlineData(8, 16, 1.0, "dropout")]
    public void Invalid_options_name_the_field(int rank, double alpha, double dropout, string field)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new LoraOptions(rank, alpha, dropout, ["q_proj"]).Validate());
        Assert.Contains($"method.lora.{field}", error.Message, StringComparison.Ordinal);
    }
}

using Whetstone.Compression.Pruning;
using static TorchSharp.torch;

namespace Whetstone.Compression.Tests.Pruning;

public sealed class MagnitudePrunerTest
{
    // Odd sizes (so round(s × n) is not trivial), one tensor with many tied values, one with zeros already.
    private static List<(string Name, Tensor Weight)> Weights(int seed)
    {
        var generator = new Random(seed);
        float[] Values(int n, Func<int, float> value) => [.. Enumerable.Range(0, n).Select(value)];
        return
        [
            ("a", tensor(Values(37 * 11, _ => (float)(generator.NextDouble() * 2 - 1)), [37, 11])),
            ("b", tensor(Values(64 * 9, _ => (float)(generator.NextDouble() * 0.01 - 0.005)), [64, 9])),
            ("ties", tensor(Values(101, i => i % 3 == 0 ? 0.5f : -0.5f), [101])),
            ("zeros", tensor(Values(50, i => i < 5 ? 0f : (float)(generator.NextDouble() + 0.1)), [5, 10])),
        ];
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.37)]
    [InlineData(0.5)]
    [InlineData(0.95)]
    public void Per_tensor_sparsity_is_reached_exactly_in_every_tensor(double sparsity)
    {
        var weights = Weights(1);

        var result = MagnitudePruner.Prune(weights, sparsity, PruneScope.PerTensor);

        foreach (var ((name, weight), counted) in weights.Zip(result))
        {
            var expected = (long)Math.Round(sparsity * weight.numel(), MidpointRounding.AwayFromZero);
            // The "zeros" tensor starts with 5 zeros: when fewer are asked, its own zeros stay.
            Assert.Equal(name == "zeros" ? Math.Max(expected, 5) : expected, MagnitudePruner.CountZeros(weight));
            Assert.Equal(MagnitudePruner.CountZeros(weight), counted.Zeros);
        }
    }

    [Fact]
    public void Per_tensor_pruning_removes_the_smallest_weights_by_magnitude_and_leaves_the_others_unchanged()
    {
        var weights = Weights(2);
        var before = weights.Select(w => w.Weight.clone()).ToList();

        MagnitudePruner.Prune(weights, 0.6, PruneScope.PerTensor);

        foreach (var ((name, weight), original) in weights.Zip(before).Where(w => w.First.Name is "a" or "b"))
        {
            var pruned = weight.eq(0);
            var largestRemoved = original.abs().masked_select(pruned).max().item<float>();
            var smallestKept = original.abs().masked_select(pruned.logical_not()).min().item<float>();
            Assert.True(largestRemoved <= smallestKept, $"{name}: removed {largestRemoved} > kept {smallestKept}");
            Assert.True(weight.masked_select(pruned.logical_not()).allclose(original.masked_select(pruned.logical_not()), 0, 0), $"{name}: a kept weight changed");
        }
    }

    [Fact]
    public void Global_pruning_reaches_the_sparsity_over_all_tensors_with_one_threshold()
    {
        var weights = Weights(3);
        var before = weights.Select(w => w.Weight.clone()).ToList();
        var total = weights.Sum(w => w.Weight.numel());

        var result = MagnitudePruner.Prune(weights, 0.6, PruneScope.Global);

        Assert.Equal((long)Math.Round(0.6 * total, MidpointRounding.AwayFromZero), result.Sum(r => r.Zeros));
        // The tensor of tiny weights loses them all before the large ones lose any: global is not per tensor.
        Assert.Equal(1.0, result.Single(r => r.Name == "b").Sparsity);
        Assert.True(result.Single(r => r.Name == "a").Sparsity < 0.6);
        var removed = weights.Zip(before).Select(p => p.Second.abs().masked_select(p.First.Weight.eq(0))).ToArray();
        var kept = weights.Zip(before).Select(p => p.Second.abs().masked_select(p.First.Weight.ne(0))).ToArray();
        Assert.True(cat(removed, 0).max().item<float>() <= cat(kept, 0).min().item<float>());
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void A_sparsity_outside_0_to_1_is_refused(double sparsity)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => MagnitudePruner.Prune(Weights(4), sparsity, PruneScope.PerTensor));
        Assert.Contains("sparsity", error.Message, StringComparison.Ordinal);
    }
}

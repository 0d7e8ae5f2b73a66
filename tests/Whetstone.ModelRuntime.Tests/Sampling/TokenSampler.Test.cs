using Whetstone.ModelRuntime.Sampling;

namespace Whetstone.ModelRuntime.Tests.Sampling;

public sealed class TokenSamplerTest
{
    // Probabilities 0.5, 0.3, 0.15, 0.05 at temperature 1.
    private static readonly float[] Logits = [MathF.Log(0.5f), MathF.Log(0.3f), MathF.Log(0.15f), MathF.Log(0.05f)];

    [Fact]
    public void Top_p_keeps_the_shortest_prefix_reaching_p_and_renormalises()
    {
        var nucleus = TokenSampler.Nucleus(Logits, temperature: 1.0, topP: 0.8);

        Assert.Equal([0L, 1L], nucleus.Select(n => n.Token));
        Assert.Equal(0.625, nucleus[0].Probability, 6);
        Assert.Equal(0.375, nucleus[1].Probability, 6);
    }

    [Fact]
    public void Top_p_just_above_a_boundary_takes_the_next_token_too()
    {
        var nucleus = TokenSampler.Nucleus(Logits, temperature: 1.0, topP: 0.81);

        Assert.Equal([0L, 1L, 2L], nucleus.Select(n => n.Token));
        Assert.Equal(0.15 / 0.95, nucleus[2].Probability, 6);
    }

    [Fact]
    public void Temperature_sharpens_the_distribution()
    {
        // At T = 0.5 the weights are the squares: 0.25, 0.09, 0.0225, 0.0025 (sum 0.365).
        var nucleus = TokenSampler.Nucleus(Logits, temperature: 0.5, topP: 1.0);

        Assert.Equal(0.25 / 0.365, nucleus[0].Probability, 6);
        Assert.Equal(4, nucleus.Count);
    }

    [Fact]
    public void Greedy_takes_the_lowest_id_among_equal_maxima()
    {
        Assert.Equal(1, TokenSampler.ArgMax([0f, 3f, 3f, 1f]));
    }

    [Fact]
    public void The_same_seed_draws_the_same_tokens_and_other_seeds_differ()
    {
        static long[] Draw(ulong seed)
        {
            var sampler = new TokenSampler(new SamplingOptions(MaxNewTokens: 1, Temperature: 1.0, Seed: seed));
            return [.. Enumerable.Range(0, 40).Select(_ => sampler.Next(Logits))];
        }

        Assert.Equal(Draw(3), Draw(3));
        Assert.NotEqual(Draw(3), Draw(4));
    }

    [Fact]
    public void Draws_follow_the_nucleus_probabilities()
    {
        var sampler = new TokenSampler(new SamplingOptions(MaxNewTokens: 1, Temperature: 1.0, TopP: 0.8, Seed: 9));
        var counts = new int[4];
        for (var i = 0; i < 4000; i++)
        {
            counts[sampler.Next(Logits)]++;
        }

        Assert.Equal(0, counts[2] + counts[3]);
        // 0.625 of 4000 = 2500; a binomial standard deviation is about 31, so ±150 is about 5 sigma.
        Assert.InRange(counts[0], 2350, 2650);
    }

    [Fact]
    public void Invalid_settings_are_refused_with_their_value()
    {
        var error = Assert.Throws<ArgumentException>(() => new TokenSampler(new SamplingOptions(1, Temperature: 1, TopP: 0)));
        Assert.Contains("top-p", error.Message, StringComparison.Ordinal);
    }
}

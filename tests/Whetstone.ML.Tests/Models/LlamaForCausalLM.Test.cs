using TorchSharp;
using Whetstone.ML.Models;
using static TorchSharp.torch;

namespace Whetstone.ML.Tests.Models;

public sealed class LlamaForCausalLMTest
{
    private static readonly long[] Prompt = [1, 14, 52, 7, 88, 23];

    [Fact]
    public void Parameter_names_are_the_hugging_face_tensor_names()
    {
        using var model = TinyConfigs.Create(TinyConfigs.GroupedQuery);
        var layer = new[]
        {
            "self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight", "self_attn.o_proj.weight",
            "mlp.gate_proj.weight", "mlp.up_proj.weight", "mlp.down_proj.weight",
            "input_layernorm.weight", "post_attention_layernorm.weight",
        };
        var expected = new[] { "model.embed_tokens.weight", "model.norm.weight", "lm_head.weight" }
            .Concat(Enumerable.Range(0, 2).SelectMany(i => layer.Select(n => $"model.layers.{i}.{n}")))
            .Order(StringComparer.Ordinal);

        var actual = model.named_parameters().Select(p => p.name).Order(StringComparer.Ordinal);

        Assert.Equal(expected, actual);
        var shapes = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        Assert.Equal(new long[] { 32, 64 }, shapes["model.layers.0.self_attn.k_proj.weight"]);
        Assert.Equal(new long[] { 64, 64 }, shapes["model.layers.0.self_attn.q_proj.weight"]);
    }

    [Fact]
    public void Tied_embeddings_have_no_lm_head_parameter()
    {
        using var model = TinyConfigs.Create(TinyConfigs.TiedMultiHead);

        Assert.DoesNotContain(model.named_parameters(), p => p.name == "lm_head.weight");
    }

    [Fact]
    public void Decoding_with_the_cache_gives_the_same_logits_as_the_full_sequence()
    {
        using var model = TinyConfigs.Create(TinyConfigs.GroupedQuery);
        using var noGrad = no_grad();
        using var full = model.Forward(tensor(Prompt).unsqueeze(0));
        using var cache = model.CreateCache();

        using var prefix = model.Forward(tensor(Prompt[..3]).unsqueeze(0), cache: cache);
        var steps = Prompt[3..].Select(token => model.Forward(tensor(new[] { token }).unsqueeze(0), cache: cache)).ToList();
        using var incremental = cat([prefix, .. steps], 1);

        Assert.Equal(Prompt.Length, cache.Length);
        Assert.True((full - incremental).abs().max().item<float>() < 1e-5f);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ForwardLast_gives_every_rows_last_position_of_the_full_forward_with_and_without_a_cache(bool tied)
    {
        using var model = TinyConfigs.Create(tied ? TinyConfigs.TiedMultiHead : TinyConfigs.GroupedQuery);
        using var noGrad = no_grad();
        long[] padded = [0, 0, 0, .. Prompt];
        using var ids = stack([tensor(padded), tensor(new long[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 })]);
        using var mask = tensor(new long[] { 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 }).view(2, 9);
        using var full = model.Forward(ids, mask);
        using var cache = model.CreateCache();

        using var last = model.ForwardLast(ids.narrow(1, 0, 8), mask.narrow(1, 0, 8), cache);
        using var next = model.ForwardLast(ids.narrow(1, 8, 1), mask, cache);

        Assert.Equal(new long[] { 2, full.shape[2] }, last.shape);
        Assert.True((full.select(1, 7) - last).abs().max().item<float>() < 1e-5f);
        Assert.True((full.select(1, 8) - next).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void A_left_padded_row_gives_the_logits_of_the_same_tokens_unpadded()
    {
        using var model = TinyConfigs.Create(TinyConfigs.GroupedQuery);
        using var noGrad = no_grad();
        using var alone = model.Forward(tensor(Prompt).unsqueeze(0));
        long[] padded = [0, 0, 0, .. Prompt];
        using var ids = stack([tensor(padded), tensor(new long[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 })]);
        using var mask = tensor(new long[] { 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 }).view(2, 9);

        using var batched = model.Forward(ids, mask);

        var difference = (batched[0].narrow(0, 3, Prompt.Length) - alone[0]).abs().max().item<float>();
        Assert.True(difference < 1e-5f, $"max abs difference {difference}");
        Assert.False(batched.isnan().any().item<bool>());
    }

    [Fact]
    public void Greedy_generation_appends_the_most_likely_token_each_step()
    {
        using var model = TinyConfigs.Create(TinyConfigs.GroupedQuery);

        var generated = model.Generate(Prompt, new GenerationOptions(MaxNewTokens: 5));

        using var noGrad = no_grad();
        var sequence = Prompt.ToList();
        foreach (var token in generated)
        {
            using var logits = model.Forward(tensor(sequence.ToArray()).unsqueeze(0));
            Assert.Equal(logits[0, -1].argmax().item<long>(), token);
            sequence.Add(token);
        }
        Assert.Equal(5, generated.Length);
    }

    [Fact]
    public void Generation_stops_at_a_stop_token()
    {
        using var model = TinyConfigs.Create(TinyConfigs.GroupedQuery);
        var free = model.Generate(Prompt, new GenerationOptions(MaxNewTokens: 4));

        var stopped = model.Generate(Prompt, new GenerationOptions(MaxNewTokens: 4, StopTokenIds: [free[1]]));

        Assert.Equal(free[..2], stopped);
    }

    [Fact]
    public void Sampling_with_the_same_seed_repeats_and_stays_in_the_vocabulary()
    {
        using var model = TinyConfigs.Create(TinyConfigs.GroupedQuery);
        var options = new GenerationOptions(MaxNewTokens: 8, Temperature: 1.5, TopK: 10, Seed: 42);

        var first = model.Generate(Prompt, options);
        var second = model.Generate(Prompt, options);

        Assert.Equal(first, second);
        Assert.All(first, token => Assert.InRange(token, 0, 96));
    }

    [Fact]
    public void Continuation_scores_are_the_log_probabilities_of_the_full_forward_pass()
    {
        using var model = TinyConfigs.Create(TinyConfigs.GroupedQuery);
        long[] context = [1, 14, 52];
        long[] continuation = [7, 88, 23];

        var scores = model.ScoreContinuation(context, continuation);

        using var noGrad = no_grad();
        using var logits = model.Forward(tensor(Prompt).unsqueeze(0));
        using var logProbabilities = nn.functional.log_softmax(logits[0], -1);
        for (var i = 0; i < continuation.Length; i++)
        {
            Assert.Equal(logProbabilities[context.Length - 1 + i, continuation[i]].item<float>(), scores[i], 5);
            Assert.True(scores[i] < 0);
        }
    }

    [Fact]
    public void Batched_scores_of_several_continuations_equal_one_by_one_scores()
    {
        using var model = TinyConfigs.Create(TinyConfigs.GroupedQuery);
        long[] context = [1, 14, 52];
        long[][] continuations = [[7, 88, 23], [9], [30, 31], []];

        var batched = model.ScoreContinuations(context, continuations);

        Assert.Equal(continuations.Length, batched.Length);
        for (var i = 0; i < continuations.Length; i++)
        {
            var single = model.ScoreContinuation(context, continuations[i]);
            Assert.Equal(single.Length, batched[i].Length);
            for (var t = 0; t < single.Length; t++)
            {
                Assert.Equal(single[t], batched[i][t], 4);
            }
        }
    }

    [Fact]
    public void A_projection_can_be_swapped_and_its_parameters_follow_the_module_path()
    {
        using var model = TinyConfigs.Create(TinyConfigs.GroupedQuery);
        var (path, attention) = model.GetProjectionOwners().First();
        var original = attention.GetProjection("q_proj");
        using var input = tensor(Prompt).unsqueeze(0);
        using var before = model.Forward(input);

        attention.ReplaceProjection("q_proj", new Scaled(original, 1.0));

        Assert.Equal("model.layers.0.self_attn", path);
        Assert.Contains(model.named_parameters(), p => p.name == "model.layers.0.self_attn.q_proj.inner.weight");
        using var same = model.Forward(input);
        Assert.True((before - same).abs().max().item<float>() < 1e-6f);
        attention.ReplaceProjection("q_proj", new Scaled(original, 3.0));
        using var changed = model.Forward(input);
        Assert.True((before - changed).abs().max().item<float>() > 1e-3f);
    }

    private sealed class Scaled : nn.Module<Tensor, Tensor>
    {
#pragma warning disable IDE1006
        private readonly nn.Module<Tensor, Tensor> inner;
#pragma warning restore IDE1006
        private readonly double _factor;

        public Scaled(nn.Module<Tensor, Tensor> inner, double factor) : base(nameof(Scaled))
        {
            this.inner = inner;
            this._factor = factor;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) => inner.forward(input) * _factor;
    }
}

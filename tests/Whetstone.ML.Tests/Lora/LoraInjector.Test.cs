using TorchSharp;
using Whetstone.ML.Lora;
using Whetstone.ML.Tests.Training;
using static TorchSharp.torch;

namespace Whetstone.ML.Tests.Lora;

[Collection(TorchRandomCollection.Name)]
public sealed class LoraInjectorTest
{
    private static readonly LoraOptions Options = new(Rank: 2, Alpha: 4, Dropout: 0.0, TargetModules: ["q_proj", "v_proj"]);

    private static (Tensor Ids, Tensor Mask) Input()
    {
        var ids = tensor(new long[] { 2, 5, 7, 3, 9, 1, 4, 4 }, [2, 4]);
        return (ids, ones_like(ids));
    }

    [Fact]
    public void Only_the_named_projections_get_adapters_and_only_adapters_train()
    {
        var model = new TinyCausalLanguageModel(SyntheticTask.Vocabulary, 16, 2, seed: 5);
        var lora = LoraInjector.Inject(model, Options);
        Assert.Equal(["layers.0.self_attn.q_proj", "layers.0.self_attn.v_proj", "layers.1.self_attn.q_proj", "layers.1.self_attn.v_proj"], lora.Adapters.Select(a => a.ModuleName));
        Assert.Empty(lora.FindNonAdapterTrainableParameters());
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToList();
        Assert.Equal(8, trainable.Count);
        Assert.Contains("layers.0.self_attn.q_proj.lora_A.weight", trainable);
        Assert.Equal(4 * 2 * (16 + 16), lora.TrainableParameterCount);
    }

    [Fact]
    public void Freshly_injected_adapters_do_not_change_the_model_output()
    {
        var model = new TinyCausalLanguageModel(SyntheticTask.Vocabulary, 16, 2, seed: 5);
        var (ids, mask) = Input();
        using var before = model.call(ids, mask);
        LoraInjector.Inject(model, Options);
        using var after = model.call(ids, mask);
        Assert.True(before.allclose(after, rtol: 0, atol: 0));
    }

    [Fact]
    public void Merging_bakes_the_adapters_into_the_weights_with_the_same_output()
    {
        var model = new TinyCausalLanguageModel(SyntheticTask.Vocabulary, 16, 2, seed: 5);
        var lora = LoraInjector.Inject(model, Options);
        using (no_grad())
        {
            foreach (var adapter in lora.Adapters)
            {
                adapter.Adapter.LoraB.weight.normal_();
            }
        }

        var (ids, mask) = Input();
        using var adapted = model.call(ids, mask);
        var names = model.named_parameters().Select(p => p.name).ToList();
        lora.MergeAndUnload();
        using var merged = model.call(ids, mask);
        Assert.True(adapted.allclose(merged, rtol: 1e-4, atol: 1e-5));
        Assert.DoesNotContain(model.named_parameters(), p => LoraModel.IsAdapterTensor(p.name));
        Assert.Equal(names.Where(n => !LoraModel.IsAdapterTensor(n)), model.named_parameters().Select(p => p.name));
    }

    [Fact]
    public void Peft_tensor_names_carry_the_base_model_prefix()
    {
        var model = new TinyCausalLanguageModel(SyntheticTask.Vocabulary, 16, 1, seed: 5);
        var lora = LoraInjector.Inject(model, Options);
        Assert.Equal(
            ["base_model.model.layers.0.self_attn.q_proj.lora_A.weight", "base_model.model.layers.0.self_attn.q_proj.lora_B.weight",
             "base_model.model.layers.0.self_attn.v_proj.lora_A.weight", "base_model.model.layers.0.self_attn.v_proj.lora_B.weight"],
            lora.GetPeftTensors().Select(t => t.Name));
    }

    [Fact]
    public void Target_names_that_match_nothing_list_what_the_model_has()
    {
        var model = new TinyCausalLanguageModel(SyntheticTask.Vocabulary, 16, 1, seed: 5);
        var error = Assert.Throws<ArgumentException>(() => LoraInjector.Inject(model, Options with { TargetModules = ["query"] }));
        Assert.Contains("q_proj", error.Message, StringComparison.Ordinal);
        Assert.Contains("method.lora.targetModules", error.Message, StringComparison.Ordinal);
    }
}

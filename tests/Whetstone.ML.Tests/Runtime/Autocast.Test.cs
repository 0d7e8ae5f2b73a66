using System.Globalization;
using TorchSharp;
using Whetstone.ML.Lora;
using Whetstone.ML.Models;
using Whetstone.ML.Runtime;
using Whetstone.ML.Tests.Models;
using Whetstone.ML.Tests.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Whetstone.ML.Tests.Runtime;

/// <summary>Mixed precision of the Llama forward pass on the CPU (libtorch's CPU kernels run bf16 and fp16 matmuls).</summary>
[Collection(TorchRandomCollection.Name)]
public sealed class AutocastTest(ITestOutputHelper output)
{
    private static readonly long[] Ids = [1, 5, 9, 33, 8, 12, 3, 4, 60, 17, 2, 0, 0, 0];
    private static readonly long[] Mask = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0];

    public static TheoryData<string, ScalarType, double> Cases => new()
    {
        // Relative to the largest fp32 logit: bf16 keeps 8 significant bits (about 0.4% per rounding), fp16 11 bits.
        { nameof(TinyConfigs.GroupedQuery), ScalarType.BFloat16, 0.03 },
        { nameof(TinyConfigs.TiedMultiHead), ScalarType.BFloat16, 0.03 },
        { nameof(TinyConfigs.GroupedQuery), ScalarType.Float16, 0.005 },
        { nameof(TinyConfigs.TiedMultiHead), ScalarType.Float16, 0.005 },
    };

    private static LlamaConfig ConfigNamed(string name) => name == nameof(TinyConfigs.TiedMultiHead) ? TinyConfigs.TiedMultiHead : TinyConfigs.GroupedQuery;

    private static (Tensor Ids, Tensor Mask) Batch() => (tensor(Ids, [2, 7]), tensor(Mask, [2, 7]));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Low_precision_logits_stay_close_to_fp32_logits(string configName, ScalarType computeDtype, double relativeTolerance)
    {
        using var model = TinyConfigs.Create(ConfigNamed(configName));
        model.eval();
        using var noGrad = no_grad();
        var (ids, mask) = Batch();
        using var reference = model.Forward(ids, mask);
        Tensor mixed;
        using (Autocast.Enable(computeDtype))
        {
            mixed = model.Forward(ids, mask);
        }

        Assert.Equal(computeDtype, mixed.dtype);
        var realRows = mask.to(ScalarType.Bool).unsqueeze(-1);
        var difference = (mixed.to(ScalarType.Float32) - reference).abs().masked_select(realRows).max().item<float>();
        var largest = reference.abs().masked_select(realRows).max().item<float>();
        var sameArgmax = mixed.argmax(-1).eq(reference.argmax(-1)).masked_select(mask.to(ScalarType.Bool)).to(ScalarType.Float32).mean().item<float>();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{configName} {computeDtype}: max |logit diff| {difference:G4}, largest |logit| {largest:G4}, relative {difference / largest:G4}, argmax agreement {sameArgmax:P0}"));
        Assert.True(difference <= relativeTolerance * largest, $"max |logit difference| {difference} exceeds {relativeTolerance} × {largest}");
        Assert.True(sameArgmax >= 0.9f, $"argmax agreement {sameArgmax}");
        Assert.True(mixed.isfinite().all().item<bool>());
    }

    [Fact]
    public void Under_autocast_parameters_stay_fp32_and_their_gradients_land_in_fp32_close_to_fp32_gradients()
    {
        var fp32Gradients = Gradients(null);
        var bf16Gradients = Gradients(ScalarType.BFloat16);
        Assert.Equal(fp32Gradients.Keys.Order(), bf16Gradients.Keys.Order());
        var worst = 1.0;
        foreach (var (name, reference) in fp32Gradients)
        {
            var mixed = bf16Gradients[name];
            var cosine = nn.functional.cosine_similarity(mixed.flatten(), reference.flatten(), dim: 0).item<float>();
            worst = Math.Min(worst, cosine);
            Assert.True(cosine > 0.98, $"{name}: cosine similarity of bf16 and fp32 gradients {cosine}");
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"lowest cosine similarity of bf16 vs fp32 gradients over {fp32Gradients.Count} parameters: {worst:F5}"));
    }

    private static Dictionary<string, Tensor> Gradients(ScalarType? computeDtype)
    {
        var model = TinyConfigs.Create(TinyConfigs.GroupedQuery);
        var (ids, mask) = Batch();
        Tensor logits;
        using (computeDtype is { } dtype ? Autocast.Enable(dtype) : Autocast.Disable())
        {
            logits = model.Forward(ids, mask);
        }

        var targets = ids.roll(-1, 1).masked_fill(mask.eq(0), -100);
        nn.functional.cross_entropy(logits.to(ScalarType.Float32).reshape(-1, logits.shape[2]), targets.reshape(-1), ignore_index: -100).backward();
        var gradients = new Dictionary<string, Tensor>();
        foreach (var (name, parameter) in model.named_parameters())
        {
            Assert.Equal(ScalarType.Float32, parameter.dtype);
            var gradient = parameter.grad;
            Assert.NotNull(gradient);
            Assert.Equal(ScalarType.Float32, gradient.dtype);
            Assert.True(gradient.isfinite().all().item<bool>(), $"{name} has a non-finite gradient");
            gradients[name] = gradient.detach().clone();
        }

        return gradients;
    }

    [Fact]
    public void Lora_adapters_under_autocast_compute_in_bf16_and_keep_fp32_weights_and_gradients()
    {
        var model = TinyConfigs.Create(TinyConfigs.GroupedQuery);
        var lora = LoraInjector.Inject(model, new LoraOptions(4, 8, 0.0, LoraOptions.AllLlamaProjections));
        using (no_grad())
        {
            // B starts at zero; give it values so the adapter contributes and A receives a gradient.
            foreach (var injected in lora.Adapters)
            {
                injected.Adapter.LoraB.weight!.normal_(0, 0.05);
            }
        }

        var (ids, mask) = Batch();
        using var projectionInput = randn(3, 64);
        var adapter = lora.Adapters[0].Adapter;
        Tensor logits;
        using (Autocast.Enable(ScalarType.BFloat16))
        {
            Assert.Equal(ScalarType.BFloat16, adapter.forward(projectionInput).dtype);
            logits = model.Forward(ids, mask);
        }

        Assert.Equal(ScalarType.Float32, adapter.forward(projectionInput).dtype);
        logits.to(ScalarType.Float32).pow(2).mean().backward();
        foreach (var (name, parameter) in model.named_parameters())
        {
            Assert.Equal(ScalarType.Float32, parameter.dtype);
            if (LoraModel.IsAdapterTensor(name))
            {
                var gradient = parameter.grad;
                Assert.NotNull(gradient);
                Assert.Equal(ScalarType.Float32, gradient.dtype);
                Assert.True(gradient.abs().sum().item<float>() > 0, $"{name} has an all-zero gradient");
            }
            else
            {
                Assert.Null(parameter.grad);
            }
        }
    }

    [Fact]
    public void Norms_embeddings_and_the_residual_stream_stay_fp32_while_the_output_layer_computes_in_bf16()
    {
        using var model = TinyConfigs.Create(TinyConfigs.GroupedQuery);
        using var noGrad = no_grad();
        var (ids, mask) = Batch();
        using var scope = Autocast.Enable(ScalarType.BFloat16);
        Assert.Equal(ScalarType.Float32, model.Model.Forward(ids, mask).dtype);
        Assert.Equal(ScalarType.BFloat16, model.Forward(ids, mask).dtype);
    }

    [Fact]
    public void Leaving_a_scope_restores_the_enclosing_setting_and_plain_fp32_results()
    {
        using var model = TinyConfigs.Create(TinyConfigs.TiedMultiHead);
        using var noGrad = no_grad();
        var (ids, mask) = Batch();
        using var before = model.Forward(ids, mask);
        Assert.Null(Autocast.ComputeDtype);
        using (Autocast.Enable(ScalarType.Float16))
        {
            using (Autocast.Enable(ScalarType.BFloat16))
            {
                Assert.Equal(ScalarType.BFloat16, Autocast.ComputeDtype);
                using (Autocast.Disable())
                {
                    Assert.False(Autocast.IsEnabled);
                    Assert.True(model.Forward(ids, mask).equal(before).all().item<bool>());
                }
            }

            Assert.Equal(ScalarType.Float16, Autocast.ComputeDtype);
        }

        Assert.Null(Autocast.ComputeDtype);
        using var after = model.Forward(ids, mask);
        Assert.True(after.equal(before).all().item<bool>());
    }

    [Fact]
    public void Only_bf16_fp16_or_fp32_can_be_asked_for()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Autocast.Enable(ScalarType.Float64));
        Assert.Contains("bfloat16 or float16", error.Message, StringComparison.Ordinal);
        using (Autocast.Enable(ScalarType.Float32))
        {
            Assert.False(Autocast.IsEnabled);
        }
    }
}

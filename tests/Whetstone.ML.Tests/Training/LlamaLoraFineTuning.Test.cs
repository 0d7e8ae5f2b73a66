using System.Text.Json;
using TorchSharp;
using Whetstone.ML.Lora;
using Whetstone.ML.Models;
using Whetstone.ML.Safetensors;
using Whetstone.ML.Training;
using static TorchSharp.torch;

namespace Whetstone.ML.Tests.Training;

/// <summary>End to end: LoRA fine-tuning of a tiny Llama model on a small synthetic domain task, then export.</summary>
[Collection(TorchRandomCollection.Name)]
public sealed class LlamaLoraFineTuningTest : IDisposable
{
    private static readonly LlamaConfig Config = new()
    {
        VocabSize = 32,
        HiddenSize = 32,
        IntermediateSize = 64,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        MaxPositionEmbeddings = 64,
        BosTokenId = 2,
        EosTokenId = 3,
        PadTokenId = 0,
    };

    private static readonly LoraOptions Lora = new(Rank: 4, Alpha: 8, Dropout: 0.05, TargetModules: LoraOptions.AllLlamaProjections);

    private readonly string _directory = Directory.CreateTempSubdirectory("whetstone-llama-lora-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static LlamaForCausalLM CreateBaseModel()
    {
        manual_seed(3);
        var model = new LlamaForCausalLM(Config);
        // A wider spread than a fresh model's 0.02: a real base model's output layer separates tokens clearly,
        // which LoRA on the projections relies on (with 0.02 the frozen output layer caps how far logits can move).
        model.InitializeWeights(0.2);
        return model;
    }

    private static Dictionary<string, float[]> Snapshot(nn.Module model)
        => model.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<float>().ToArray());

    private static Tensor Logits(LlamaForCausalLM model)
    {
        model.eval();
        using var noGrad = no_grad();
        using var ids = tensor(new long[] { 2, 5, 9, 1, 8, 12, 3, 4 }, [1, 8]);
        return model.Forward(ids);
    }

    [Fact]
    public async Task Lora_fine_tuning_a_tiny_llama_lowers_validation_loss_changes_only_adapters_and_exports_peft_files()
    {
        var model = CreateBaseModel();
        var lora = LoraInjector.Inject(model, Lora);
        Assert.Equal(2 * 7, lora.Adapters.Count);
        Assert.Empty(lora.FindNonAdapterTrainableParameters());
        Assert.Contains(model.named_parameters(), p => p.name == "model.layers.0.self_attn.q_proj.base_layer.weight");
        var before = Snapshot(model);

        var options = new TrainingOptions
        {
            Epochs = 3,
            BatchSize = 8,
            LearningRate = 1e-2,
            LearningRateSchedule = LearningRateScheduleKind.Cosine,
            WarmupRatio = 0.05,
            EvaluateEverySteps = 6,
            CheckpointEverySteps = 0,
            PadTokenId = 0,
            Seed = 5,
        };
        var result = await new Trainer(options).TrainAsync(model, SyntheticTask.Create(96, seed: 1), SyntheticTask.Create(24, seed: 2), CancellationToken.None);

        Assert.Equal(TrainingStopReason.Completed, result.StopReason);
        var validation = result.LossCurve.Where(p => p.ValidationLoss is not null).Select(p => p.ValidationLoss!.Value).ToList();
        Assert.True(validation[^1] < validation[0] * 0.8, $"validation loss {string.Join(", ", validation.Select(v => v.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))}");
        var after = Snapshot(model);
        foreach (var (name, values) in before)
        {
            Assert.True(LoraModel.IsAdapterTensor(name) == !values.SequenceEqual(after[name]), $"{name}: changed must equal is-adapter");
        }

        // PEFT layout: config and tensor names as PEFT writes them.
        var adapterDirectory = Path.Combine(_directory, "adapter");
        PeftAdapterFiles.Save(lora, adapterDirectory, "s3://models/tiny-llama/v1/");
        using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(adapterDirectory, "adapter_config.json"))))
        {
            Assert.Equal("LORA", config.RootElement.GetProperty("peft_type").GetString());
            Assert.Equal("CAUSAL_LM", config.RootElement.GetProperty("task_type").GetString());
            Assert.Equal(4, config.RootElement.GetProperty("r").GetInt32());
            Assert.Equal(8, config.RootElement.GetProperty("lora_alpha").GetDouble());
            Assert.Equal(7, config.RootElement.GetProperty("target_modules").GetArrayLength());
        }

        using (var reader = SafetensorsReader.Open(Path.Combine(adapterDirectory, "adapter_model.safetensors")))
        {
            Assert.Equal(2 * 7 * 2, reader.Tensors.Count);
            Assert.Contains("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", reader.Tensors.Keys);
            Assert.Contains("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight", reader.Tensors.Keys);
        }

        // The adapter files alone reproduce the fine-tuned model on a fresh copy of the base.
        using var tuned = Logits(model);
        var reloaded = CreateBaseModel();
        var reloadedLora = LoraInjector.Inject(reloaded, PeftAdapterFiles.ReadConfig(adapterDirectory).ToOptions());
        PeftAdapterFiles.LoadInto(reloadedLora, adapterDirectory);
        using var reloadedLogits = Logits(reloaded);
        Assert.True(tuned.allclose(reloadedLogits, rtol: 0, atol: 0));

        // Merged and saved as a plain model: same outputs, base parameter names only.
        lora.MergeAndUnload();
        using var merged = Logits(model);
        Assert.True(tuned.allclose(merged, rtol: 1e-4, atol: 1e-4));
        var modelDirectory = Path.Combine(_directory, "merged");
        LlamaCheckpoint.Save(model, modelDirectory);
        var loaded = LlamaCheckpoint.Load(modelDirectory);
        Assert.DoesNotContain(loaded.named_parameters(), p => p.name.Contains("lora", StringComparison.Ordinal) || p.name.Contains("base_layer", StringComparison.Ordinal));
        using var loadedLogits = Logits(loaded);
        Assert.True(merged.allclose(loadedLogits, rtol: 0, atol: 0));
    }
}
